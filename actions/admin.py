"""The site staff's admin. Progress updates are read-only: never edited or deleted, corrections are new entries."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, Priority, ProgressUpdate, ReminderDigest, ReminderOptOut, Risk


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "partnership"]
    list_filter = ["partnership"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "partnership", "completion", "impact", "target_date"]
    list_filter = ["partnership", "completion", "source"]
    search_fields = ["reference", "text"]
    list_select_related = ["partnership"]
    raw_id_fields = ["priority", "leads", "latest_update"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "date", "author_name", "completion_from", "completion_to"]
    list_select_related = ["action"]
    readonly_fields = [f.name for f in ProgressUpdate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "category", "likelihood", "impact"]
    list_filter = ["partnership", "category"]
    raw_id_fields = ["owner", "actions"]


admin.site.register(ReminderOptOut)
admin.site.register(ReminderDigest)
