from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budgets.models import BudgetYear, ContributionLine


class LineInline(admin.TabularInline):
    model = ContributionLine
    extra = 0
    raw_id_fields = ("council", "confirmed_by")


@admin.register(BudgetYear)
class BudgetYearAdmin(SimpleHistoryAdmin):
    list_display = ("partnership", "start_year", "status")
    list_filter = ("status",)
    search_fields = ("partnership__name",)
    inlines = [LineInline]
