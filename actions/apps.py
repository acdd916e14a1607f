from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The RAG-rated improvement tracker and the risk register (spoke)."""

    name = "actions"
    verbose_name = "Actions and risks"
