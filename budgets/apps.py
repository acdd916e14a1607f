from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    """The pooled partnership budget (spoke): contribution lines, confirmation, value for money."""

    name = "budgets"
    verbose_name = "Partnership budget"

    def ready(self):
        from budgets import blocks  # noqa: F401 - registers blocks, tile, nav, attention source, audited models
