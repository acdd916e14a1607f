from django.apps import AppConfig


class YjplanConfig(AppConfig):
    name = "yjplan"
    verbose_name = "Youth justice plan"

    def ready(self):
        from yjplan import blocks  # noqa: F401  (registers the hub's own blocks, tiles and navigation)
        from yjplan.cache import connect
        from yjplan.plans import documents

        documents.register()
        connect()  # every committed write bumps its partnership's data version
