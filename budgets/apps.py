from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    """The pooled partnership budget (spoke): contribution lines, confirmation, value for money."""

    name = "budgets"
    verbose_name = "Partnership budget"
