"""Forms of the actions spoke (GOV.UK layouts through crispy-forms-gds)."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size
from django import forms

from actions.models import Completion, Impact, RiskCategory, Source
from actions.selectors import SORTS
from yjplan.forms import GDSDateField, GDSForm

DATE_HELP = "For example, 31/3/2025."
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y"]


def _date_field(label, required=False):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
        error_messages={
            "invalid": f"{label} must be a real date, like 31/3/2025",
            "required": f"Enter the {label.lower()}",
        },
        widget=forms.DateInput(format="%d/%m/%Y"),
    )


def _member_label(m):
    return f"{m.user.full_name} ({m.user.initials})"


class TrackerFilterForm(forms.Form):
    """The tracker's filters and sort, read from the query string (a GET form), so any view is a link."""

    lead = forms.TypedChoiceField(label="Lead", required=False, coerce=int, empty_value=None)
    completion = forms.ChoiceField(label="Completion RAG", required=False, choices=[("", "Any")] + Completion.choices)
    source = forms.ChoiceField(label="Source", required=False, choices=[("", "Any")] + Source.choices)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    not_updated_days = forms.IntegerField(
        label="Not updated for at least (days)",
        required=False,
        min_value=1,
        max_value=3650,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}),
        error_messages={
            "invalid": "Days must be a whole number, like 60",
            "min_value": "Days must be 1 or more",
            "max_value": "Days must be 3650 or fewer",
        },
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def __init__(self, *args, leads=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "Anyone")] + [(m.pk, _member_label(m)) for m in leads]

    def filters(self) -> dict:
        if not self.is_bound:
            data = {}
        elif not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        return {
            "lead": data.get("lead"),
            "completion": data.get("completion") or "",
            "source": data.get("source") or "",
            "overdue": bool(data.get("overdue")),
            "not_updated_days": data.get("not_updated_days"),
            "sort": data.get("sort") or "reference",
        }


class SinceForm(GDSForm):
    """The date the since page counts from, asked the GOV.UK way (day, month, year) in a GET form."""

    since = GDSDateField(
        name="the date of the last board meeting",
        label="Date of the last board meeting",
        help_text="For example, 14 3 2025",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # The template's own button: a named one would put "submit=…" in every link to the page.
        self.helper.layout = Layout(*self.gds_layout())
        self.helper.form_method = "get"
        self.helper.disable_csrf = True

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since > self.today:
            raise forms.ValidationError("The date of the last board meeting must be today or in the past")
        return since

    def gds_layout(self):
        return [Field("since")]


class PriorityForm(GDSForm):
    submit_label = "Add priority"
    number = forms.CharField(
        max_length=20,
        label="Number",
        help_text="For example 2, or 6a.",
        error_messages={"required": "Enter the priority's number"},
    )
    title = forms.CharField(
        max_length=500,
        label="Priority or improvement target",
        error_messages={"required": "Enter the priority's title"},
    )

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)

    def gds_layout(self):
        return [Field.text("number", field_width=Fixed.FIVE), Field.text("title"), Field("version")]


class PriorityDeleteForm(GDSForm):
    """Where a deleted priority's actions go: another priority, or no priority (shown only when it has actions)."""

    submit_label = "Delete priority"
    NONE = "none"
    move_to = forms.ChoiceField(
        label="Where should its actions go?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where its actions go", "invalid_choice": "Choose where its actions go"},
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].choices = [(str(p.pk), f"Move them to priority {p}") for p in others] + [
            (self.NONE, "Keep them on the tracker without a priority")
        ]

    def gds_layout(self):
        return [Field.radios("move_to", legend_size=Size.MEDIUM)]


class ActionForm(GDSForm):
    submit_label = "Save action"
    reference = forms.CharField(
        max_length=20,
        help_text="Unique in the partnership, for example 2 or 3.1.",
        error_messages={"required": "Enter a reference, like 2 or 3.1"},
    )
    priority = forms.TypedChoiceField(
        label="Priority or improvement target", required=False, coerce=int, empty_value=None
    )
    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What will be done.",
        error_messages={"required": "Enter the action"},
    )
    leads = forms.TypedMultipleChoiceField(
        label="Leads",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Shown by their initials on the tracker.",
    )
    target_date = _date_field("Target date")
    completion = forms.ChoiceField(
        label="Completion RAG",
        choices=Completion.choices,
        initial=Completion.NOT_STARTED,
        error_messages={"invalid_choice": "Completion RAG must be one of the listed ratings"},
    )
    impact = forms.ChoiceField(
        label="Impact RAG",
        choices=Impact.choices,
        initial=Impact.NONE,
        error_messages={"invalid_choice": "Impact RAG must be one of the listed ratings"},
    )
    outcome = forms.CharField(
        label="Outcome measure / evidence of impact",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the board will know it has worked.",
    )
    source = forms.ChoiceField(
        choices=Source.choices,
        initial=Source.PLAN_PRIORITY,
        error_messages={"invalid_choice": "Source must be one of the listed sources"},
    )
    source_reference = forms.CharField(
        label="Source reference (optional)",
        max_length=200,
        required=False,
        help_text="For example, HMIP recommendation 3.",
    )
    gap = forms.CharField(
        label="Gap (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The gap this action closes.",
    )
    link_text = forms.CharField(
        label="Link text (optional)", max_length=200, required=False, help_text="A plan section or board decision."
    )
    link_url = forms.URLField(
        label="Link address (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="For example, https://…",
        error_messages={"invalid": "Enter a web address starting https://"},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, priorities=(), leads=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", "No priority")] + [(p.pk, str(p)) for p in priorities]
        self.fields["leads"].choices = [(m.pk, _member_label(m)) for m in leads]
        self.fields["leads"].error_messages["invalid_choice"] = "Each lead must be a member of this partnership"
        self.fields["priority"].error_messages["invalid_choice"] = "Select a priority of this partnership"

    def gds_layout(self):
        return [
            Field.text("reference", field_width=Fixed.FIVE),
            Field.select("priority"),
            Field.textarea("text"),
            Field.checkboxes("leads", legend_size=Size.SMALL, small=True),
            Field.text("target_date", field_width=Fixed.TEN),
            Field.select("completion"),
            Field.select("impact"),
            Field.textarea("outcome"),
            Field.select("source"),
            Field.text("source_reference", field_width=Fluid.TWO_THIRDS),
            Field.textarea("gap"),
            Field.text("link_text", field_width=Fluid.TWO_THIRDS),
            Field.text("link_url", field_width=Fluid.TWO_THIRDS),
            Field("version"),
        ]


class ProgressForm(GDSForm):
    submit_label = "Add update"
    text = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "What has happened since the last update. Needed for every update, even if the RAG ratings stay the same."
        ),
        error_messages={"required": "Enter a progress note: what has happened since the last update"},
    )
    completion = forms.ChoiceField(
        label="Completion RAG",
        choices=Completion.choices,
        error_messages={"invalid_choice": "Completion RAG must be one of the listed ratings"},
    )
    impact = forms.ChoiceField(
        label="Impact RAG",
        choices=Impact.choices,
        error_messages={"invalid_choice": "Impact RAG must be one of the listed ratings"},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [Field.textarea("text"), Field.select("completion"), Field.select("impact"), Field("version")]


class RiskForm(GDSForm):
    submit_label = "Save risk"
    SCORE = [(str(n), str(n)) for n in range(1, 6)]
    title = forms.CharField(label="Risk", max_length=300, error_messages={"required": "Enter the risk"})
    category = forms.ChoiceField(
        choices=RiskCategory.choices, error_messages={"invalid_choice": "Category must be one of the listed categories"}
    )
    description = forms.CharField(
        label="Description and cause (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What could happen and why.",
    )
    likelihood = forms.TypedChoiceField(
        choices=SCORE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 is rare, 5 is almost certain.",
        error_messages={
            "required": "Select the likelihood, from 1 to 5",
            "invalid_choice": "Likelihood must be a whole number from 1 to 5",
        },
    )
    impact = forms.TypedChoiceField(
        choices=SCORE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 is negligible, 5 is severe.",
        error_messages={
            "required": "Select the impact, from 1 to 5",
            "invalid_choice": "Impact must be a whole number from 1 to 5",
        },
    )
    mitigation = forms.CharField(
        label="Mitigation (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is being done to reduce it.",
    )
    owner = forms.TypedChoiceField(label="Owner (optional)", required=False, coerce=int, empty_value=None)
    review_date = _date_field("Review date (optional)")
    actions = forms.TypedMultipleChoiceField(
        label="Linked actions (optional)",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Actions that reduce this risk.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "No owner")] + [(m.pk, _member_label(m)) for m in owners]
        self.fields["owner"].error_messages["invalid_choice"] = "The owner must be a member of this partnership"
        self.fields["actions"].choices = [(a.pk, f"{a.reference}: {a.text[:60]}") for a in actions]
        self.fields["actions"].error_messages["invalid_choice"] = "Linked actions must be actions of this partnership"
        self.fields["review_date"].error_messages["invalid"] = "Review date must be a real date, like 31/3/2025"

    def gds_layout(self):
        return [
            Field.text("title"),
            Field.select("category"),
            Field.textarea("description"),
            Field.radios("likelihood", inline=True, legend_size=Size.SMALL),
            Field.radios("impact", inline=True, legend_size=Size.SMALL),
            Field.textarea("mitigation"),
            Field.select("owner"),
            Field.text("review_date", field_width=Fixed.TEN),
            Field.checkboxes("actions", legend_size=Size.SMALL, small=True),
            Field("version"),
        ]


class ImportForm(GDSForm):
    submit_label = "Check the file"
    LAYOUTS = [
        (
            "tracker",
            "Action tracker (ref, improvement target, action, lead, target date, RAG, evidence of impact, impact RAG)",
        ),
        ("improvement_plan", "2010 improvement plan (gap, risk, action, success criteria, owner, deadline)"),
    ]
    layout = forms.ChoiceField(
        choices=LAYOUTS,
        widget=forms.RadioSelect,
        initial="tracker",
        error_messages={"required": "Select the layout of the file"},
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text="CSV or Excel (.xlsx), smaller than 2 MB.",
        error_messages={"required": "Select a CSV or Excel file", "empty": "The selected file is empty"},
    )

    def gds_layout(self):
        return [Field.radios("layout", legend_size=Size.SMALL), Field("file")]


class ReminderForm(GDSForm):
    submit_label = "Save setting"
    CHOICES = [
        ("on", "Yes, send me a daily digest when actions I lead need attention"),
        ("off", "No, do not send reminders"),
    ]
    reminders = forms.ChoiceField(
        label="Email reminders",
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you want reminders"},
    )

    def gds_layout(self):
        return [Field.radios("reminders", legend_size=Size.MEDIUM)]
