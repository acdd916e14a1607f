"""Forms for boards, members, meetings, agenda items, attendance, decisions and summaries (GOV.UK layouts)."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils import timezone

from boards.models import AgendaItem, Attendance, Board, BoardMember, Meeting
from boards.services import SUMMARY_FIELDS
from yjplan.forms import GDSForm
from yjplan.models import AgencyType

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y", "%d-%m-%Y", "%d.%m.%Y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%H"]


class DayField(forms.DateField):
    widget = forms.TextInput

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        super().__init__(
            label=label,
            required=required,
            input_formats=DATE_FORMATS,
            help_text=kwargs.pop("help_text", "For example, 27/3/2024"),
            error_messages={
                "required": f"Enter the {label.lower().removesuffix(' (optional)')}",
                "invalid": f"{label.removesuffix(' (optional)')} must be a real date, like 27/3/2024",
            },
            **kwargs,
        )

    def prepare_value(self, value):
        return f"{value:%-d/%-m/%Y}" if isinstance(value, dt.date) else value

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not 1990 <= day.year <= 2100:
            raise forms.ValidationError(f"{self.label.removesuffix(' (optional)')} must be between 1990 and 2100")
        return day


class ClockField(forms.TimeField):
    widget = forms.TextInput

    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            label=label,
            input_formats=TIME_FORMATS,
            help_text="Use the 24-hour clock, for example 14:30",
            error_messages={
                "required": f"Enter the {label.lower()}",
                "invalid": f"{label} must be a time on the 24-hour clock, like 14:30",
            },
            **kwargs,
        )

    def prepare_value(self, value):
        return f"{value:%H:%M}" if isinstance(value, dt.time) else value


class BoardForm(GDSForm):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the board's name"})
    kind = forms.ChoiceField(label="Kind of board", choices=Board.Kind.choices, widget=forms.RadioSelect)
    quorum = forms.IntegerField(
        label="Quorum",
        min_value=0,
        max_value=5,
        help_text="The least number of statutory partner agencies (local authority, police, probation, health, "
        "education) represented, in person or by a deputy, for the meeting to be quorate.",
        error_messages={
            "required": "Enter the quorum",
            "invalid": "Quorum must be a whole number from 0 to 5",
            "min_value": "Quorum must be a whole number from 0 to 5",
            "max_value": "Quorum must be a whole number from 0 to 5",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    terms_of_reference = forms.CharField(
        label="Terms of reference (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Purpose, powers and membership.",
    )
    reports_to = forms.CharField(
        label="Reports to (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="One board a line, for example Safeguarding Children Partnership.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("quorum", field_width=Fixed.TWO),
            Field.textarea("terms_of_reference", rows=6),
            Field.textarea("reports_to", rows=3),
            Field("version"),
        ]


class MemberForm(GDSForm):
    name = forms.CharField(
        label="Person's name", max_length=150, error_messages={"required": "Enter the person's name"}
    )
    seniority = forms.CharField(
        label="Job title and seniority (optional)",
        max_length=150,
        required=False,
        help_text="For example, Assistant Chief Constable.",
    )
    organisation = forms.CharField(label="Organisation (optional)", max_length=150, required=False)
    agency = forms.ChoiceField(
        label="Agency",
        choices=[("", "Select the agency")] + AgencyType.choices,
        help_text="Local authority, police, probation, health and education are the statutory partners.",
        error_messages={"required": "Select the agency the person represents"},
    )
    role = forms.ChoiceField(label="Role on the board", choices=BoardMember.Role.choices, widget=forms.RadioSelect)
    user = forms.TypedChoiceField(
        label="Account (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Link the person's account so they can record their own apologies.",
    )
    start_date = DayField(label="Start date")
    end_date = DayField(label="End date (optional)", required=False)
    induction_date = DayField(label="Induction date (optional)", required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {m.user_id: m.user for m in people}
        self.fields["user"].choices = [("", "No account")] + [
            (m.user_id, f"{m.user.full_name} ({m.user.email})") for m in people
        ]

    def gds_layout(self):
        return [
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("seniority", field_width=Fluid.TWO_THIRDS),
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field.select("agency"),
            Field.radios("role", legend_size=Size.SMALL),
            Field.select("user"),
            Field.text("start_date", field_width=Fixed.TEN),
            Field.text("end_date", field_width=Fixed.TEN),
            Field.text("induction_date", field_width=Fixed.TEN),
            Field("version"),
        ]

    def clean_user(self):
        value = self.cleaned_data["user"]
        return self.people.get(value) if value else None


class MemberEndForm(GDSForm):
    submit_label = "End membership"
    end_date = DayField(label="End date", help_text="The last day of their membership, for example 31/3/2025")

    def gds_layout(self):
        return [Field.text("end_date", field_width=Fixed.TEN)]


class MeetingForm(GDSForm):
    date = DayField(label="Date")
    start_time = ClockField(label="Start time")
    end_time = ClockField(label="End time")
    place = forms.CharField(
        label="Place (optional if online)", max_length=200, required=False, help_text="Room and building."
    )
    online = forms.BooleanField(label="Online (video call)", required=False)
    status = forms.ChoiceField(
        label="Status", choices=Meeting.Status.choices, widget=forms.RadioSelect, initial="scheduled"
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    # the service's field names → this form's
    error_fields = {"starts_at": "start_time", "ends_at": "end_time"}

    def gds_layout(self):
        return [
            Field.text("date", field_width=Fixed.TEN),
            Field.text("start_time", field_width=Fixed.FIVE),
            Field.text("end_time", field_width=Fixed.FIVE),
            Field.text("place", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("online"),
            Field.radios("status", legend_size=Size.SMALL),
            Field("version"),
        ]

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "date": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "place": meeting.place,
            "online": meeting.online,
            "status": meeting.status,
            "version": meeting.updated_at.isoformat(),
        }

    def meeting_data(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": timezone.make_aware(dt.datetime.combine(data["date"], data["start_time"])),
            "ends_at": timezone.make_aware(dt.datetime.combine(data["date"], data["end_time"])),
            "place": data["place"],
            "online": data["online"],
            "status": data["status"],
        }


class MinutesForm(GDSForm):
    submit_label = "Save minutes"
    minutes = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea,
        help_text="You can use simple HTML: paragraphs, headings, lists, bold, links and tables. "
        "Anything else (scripts, styles, event handlers) is removed when you save.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [Field.textarea("minutes", rows=16, label_size=Size.MEDIUM), Field("version")]


class AgendaItemForm(GDSForm):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the item's title"})
    presenter = forms.CharField(label="Presenter (optional)", max_length=150, required=False)
    kind = forms.ChoiceField(label="Kind of item", choices=AgendaItem.Kind.choices, widget=forms.RadioSelect)
    paper = forms.FileField(
        label="Paper (optional)",
        required=False,
        help_text="A PDF, Word (DOCX) or Excel (XLSX) file, smaller than 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )
    links = forms.CharField(
        label="Links (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Web addresses of actions, indicators or plan sections, one a line.",
    )

    def gds_layout(self):
        return [
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.text("presenter", field_width=Fluid.TWO_THIRDS),
            Field.radios("kind", legend_size=Size.SMALL),
            Field("paper"),
            Field.textarea("links", rows=3),
        ]


class AgendaItemEditForm(AgendaItemForm):
    order = forms.IntegerField(
        label="Position on the agenda",
        min_value=0,
        max_value=999,
        error_messages={
            "required": "Enter the position on the agenda",
            "invalid": "Position must be a whole number, like 3",
            "min_value": "Position must be 0 or more",
            "max_value": "Position must be 999 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    finished = forms.BooleanField(label="Finished: do not carry it over to the next meeting", required=False)
    remove_paper = forms.BooleanField(label="Remove the current paper", required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [
            *super().gds_layout(),
            Field.checkbox("remove_paper"),
            Field.text("order", field_width=Fixed.THREE),
            Field.checkbox("finished"),
            Field("version"),
        ]


STATUS_CHOICES = [("", "Not recorded")] + Attendance.Status.choices


class _TableForm(forms.Form):
    """A form the template lays out itself (a table or a list of rows); the helper feeds the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AttendanceForm(_TableForm):
    """One row a seat: status and, for a deputy, the deputy's name. Rendered by the template as a table."""

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = list(seats)
        for seat in self.seats:
            recorded = getattr(seat, "recorded", None)
            self.fields[f"status_{seat.pk}"] = forms.ChoiceField(
                label=f"Attendance of {seat.name}",
                choices=STATUS_CHOICES,
                required=False,
                initial=recorded.status if recorded else "",
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"invalid_choice": f"{seat.name}: select present, apologies, sent a deputy or absent"},
            )
            self.fields[f"deputy_{seat.pk}"] = forms.CharField(
                label=f"Deputy for {seat.name}",
                max_length=150,
                required=False,
                initial=recorded.deputy_name if recorded else "",
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
            )

    def rows(self):
        return [
            {"seat": seat, "status": self[f"status_{seat.pk}"], "deputy": self[f"deputy_{seat.pk}"]}
            for seat in self.seats
        ]

    def attendance_rows(self) -> list[dict]:
        return [
            {
                "member": seat,
                "status": self.cleaned_data[f"status_{seat.pk}"],
                "deputy_name": self.cleaned_data[f"deputy_{seat.pk}"],
            }
            for seat in self.seats
        ]

    def field_for(self, message: str) -> str | None:
        """The row a service message is about (it starts with the person's name)."""
        for seat in self.seats:
            if message.startswith(seat.name):
                return f"deputy_{seat.pk}" if "deputy" in message else f"status_{seat.pk}"
        return None


class DecisionForm(GDSForm):
    submit_label = "Record decision"
    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea,
        help_text="What the board decided, in a sentence or two.",
        error_messages={"required": "Enter the decision"},
    )
    action_requested = forms.BooleanField(
        label="Create a tracked action for this decision",
        required=False,
        help_text="The decision is offered to the action tracker, which links it to the new action.",
    )

    def gds_layout(self):
        return [Field.textarea("text", rows=3), Field.checkbox("action_requested")]


class AgendaBuilderForm(_TableForm):
    """A checkbox and an editable title for each proposal; ``proposals`` come from the selector."""

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        for number, proposal in enumerate(self.proposals, start=1):
            key = proposal["key"]
            self.fields[f"accept_{key}"] = forms.BooleanField(
                label=proposal["title"],
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            )
            self.fields[f"title_{key}"] = forms.CharField(
                label=f"Title of proposal {number}",
                max_length=200,
                required=False,
                initial=proposal["title"],
                widget=forms.TextInput(attrs={"class": "govuk-input"}),
                error_messages={"max_length": f"Proposal {number}: the title must be 200 characters or fewer"},
            )

    def clean(self):
        data = super().clean()
        for number, proposal in enumerate(self.proposals, start=1):
            key = proposal["key"]
            if data.get(f"accept_{key}") and not (data.get(f"title_{key}") or "").strip():
                self.add_error(f"title_{key}", f"Proposal {number}: enter a title for the agenda item")
        return data

    def rows(self):
        return [
            {"number": n, "proposal": p, "accept": self[f"accept_{p['key']}"], "title": self[f"title_{p['key']}"]}
            for n, p in enumerate(self.proposals, start=1)
        ]

    def accepted(self) -> list[dict]:
        return [
            {**p, "title": self.cleaned_data[f"title_{p['key']}"].strip()}
            for p in self.proposals
            if self.cleaned_data.get(f"accept_{p['key']}")
        ]


class SummaryForm(GDSForm):
    submit_label = "Save summary"
    achieved = forms.CharField(
        label="Achieved in the last quarter", required=False, widget=forms.Textarea, help_text="One point a line."
    )
    support_needed = forms.CharField(
        label="Support needed from partner boards", required=False, widget=forms.Textarea, help_text="One point a line."
    )
    priorities = forms.CharField(
        label="Priorities for the next three months",
        required=False,
        widget=forms.Textarea,
        help_text="One point a line.",
    )
    risks = forms.CharField(
        label="Identified risks", required=False, widget=forms.Textarea, help_text="One point a line."
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [*(Field.textarea(name, rows=6, label_size=Size.SMALL) for name in SUMMARY_FIELDS), Field("version")]
