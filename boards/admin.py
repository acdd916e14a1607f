"""The site staff's admin for board records (partnership members use the board pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from boards.models import AgendaItem, Attendance, Board, BoardMember, Decision, Meeting, QuarterlySummary


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "kind", "quorum"]
    list_filter = ["partnership", "kind"]
    list_select_related = ["partnership"]


@admin.register(BoardMember)
class BoardMemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "board", "role", "agency", "start_date", "end_date"]
    list_filter = ["role", "agency"]
    search_fields = ["name", "organisation"]
    list_select_related = ["board"]
    raw_id_fields = ["board", "user"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["board", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["board"]
    raw_id_fields = ["board"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "order", "kind", "finished"]
    list_select_related = ["meeting", "meeting__board"]
    raw_id_fields = ["meeting", "carried_over_from"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["member", "meeting", "status", "deputy_name"]
    list_filter = ["status"]
    list_select_related = ["member", "member__board", "meeting", "meeting__board"]
    raw_id_fields = ["meeting", "member"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "action_requested", "action_reference"]
    list_select_related = ["meeting", "meeting__board"]
    raw_id_fields = ["meeting"]


@admin.register(QuarterlySummary)
class QuarterlySummaryAdmin(SimpleHistoryAdmin):
    list_display = ["board", "quarter_start", "updated_at"]
    list_select_related = ["board"]
    raw_id_fields = ["board"]
