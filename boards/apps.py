from django.apps import AppConfig


class BoardsConfig(AppConfig):
    """The management board: members, meetings, attendance, decisions (spoke)."""

    name = "boards"
    verbose_name = "Boards"

    def ready(self):
        from boards import blocks  # noqa: F401 - registers blocks, tile, nav, document kind, audited models
