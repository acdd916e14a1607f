from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The RAG-rated improvement tracker and the risk register (spoke)."""

    name = "actions"
    verbose_name = "Actions and risks"

    def ready(self):
        from actions import blocks  # noqa: F401  (registers blocks, tiles, navigation, documents, attention)
