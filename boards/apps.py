from django.apps import AppConfig


class BoardsConfig(AppConfig):
    """The management board: members, meetings, attendance, decisions (spoke)."""

    name = "boards"
    verbose_name = "Boards"
