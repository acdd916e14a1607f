"""Forms of the National Standards self-audit and HMIP inspections (crispy-forms-gds layouts)."""

from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout
from django import forms

from performance.forms import date_field
from performance.standards.models import HMIP_STANDARDS, Grade, Rating
from performance.standards.services import rating_field
from yjplan.forms import GDSForm


def _relayout(form) -> None:
    """Lay the form out again after its fields changed in ``__init__``."""
    form.helper.layout = Layout(*form.gds_layout(), Button("submit", form.submit_label))


def _grade_field(label: str, choices, empty: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", empty), *choices],
        error_messages={"invalid_choice": f"Choose the {label.lower()} from the list"},
    )


class AuditForm(GDSForm):
    submit_label = "Start the self-audit"

    year = forms.IntegerField(
        label="Year of the self-audit",
        min_value=2019,
        max_value=2100,
        help_text="For example, 2022.",
        error_messages={
            "required": "Enter the year of the self-audit",
            "invalid": "Year must be a number, like 2022",
            "min_value": "Year must be 2019 or later: the National Standards were published in 2019",
            "max_value": "Year must be 2100 or earlier",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    conducted = forms.CharField(
        label="When the audit took place (optional)",
        max_length=100,
        required=False,
        help_text="For example, May to June 2022.",
    )
    summary = forms.CharField(label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            self.submit_label = "Save"
            _relayout(self)

    def gds_layout(self):
        return [
            *([Field.text("year", field_width=Fixed.FOUR)] if "year" in self.fields else []),
            Field.text("conducted", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary"),
            Field("version"),
        ]


class GradeForm(GDSForm):
    submit_label = "Save grades"

    operational = _grade_field("Operational grade", Grade.choices, "Not graded yet")
    strategic = _grade_field("Strategic grade", Grade.choices, "Not graded yet")
    evidence = forms.CharField(
        label="Evidence (optional)",
        required=False,
        help_text="What the audit found: practice seen, strengths, what needs to change.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    sample = forms.CharField(
        label="Sample audited (optional)",
        max_length=300,
        required=False,
        help_text="For example, 12 cases: 8 youth cautions and 4 youth conditional cautions.",
    )
    sample_size = forms.IntegerField(
        label="Number of cases audited (optional)",
        required=False,
        min_value=0,
        max_value=100000,
        error_messages={
            "invalid": "Number of cases audited must be a whole number, like 12",
            "min_value": "Number of cases audited must be 0 or more",
            "max_value": "Number of cases audited must be 100,000 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [
            Field.select("operational"),
            Field.select("strategic"),
            Field.textarea("evidence"),
            Field.text("sample", field_width=Fluid.TWO_THIRDS),
            Field.text("sample_size", field_width=Fixed.FIVE),
            Field("version"),
        ]


class ActionLeadForm(GDSForm):
    """Who leads the new action and by when (both may be settled later in the tracker)."""

    submit_label = "Create the action"

    lead = forms.TypedChoiceField(label="Lead (optional)", coerce=int, required=False, empty_value=None)
    target_date = date_field("Target date", "For example, 31/03/2024.", required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "No lead yet")] + [(m.pk, m.user.full_name) for m in members]
        self.fields["lead"].error_messages["invalid_choice"] = "Choose a lead from the list"
        self.fields["target_date"].label = "Target date (optional)"
        self.fields["target_date"].error_messages["invalid"] = "Target date must be a real date, like 31/03/2024"

    def gds_layout(self):
        return [Field.select("lead"), Field.text("target_date", field_width=Fixed.TEN)]


class RaiseActionForm(ActionLeadForm):
    title = forms.CharField(
        label="Action",
        max_length=2000,
        error_messages={"required": "Enter what the action is"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    detail = forms.CharField(label="Detail (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def gds_layout(self):
        return [Field.textarea("title"), Field.textarea("detail"), *super().gds_layout()]


class InspectionForm(GDSForm):
    submit_label = "Save the inspection"

    title = forms.CharField(
        label="Inspection",
        max_length=200,
        initial="Inspection of youth offending services",
        error_messages={"required": "Enter the name of the inspection"},
    )
    inspected_on = date_field("Date of the inspection", "The first day of fieldwork, for example 16/09/2019.")
    published_on = date_field("Date the report was published", "For example, 17/12/2019.", required=False)
    overall = _grade_field("Overall rating", Rating.choices, "Not rated")
    report_url = forms.URLField(
        label="Address of the report (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the report's address, like https://www.justiceinspectorates.gov.uk/…"},
    )
    summary = forms.CharField(label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].label = "Date the report was published (optional)"
        for code, name in HMIP_STANDARDS:
            self.fields[rating_field(code)] = _grade_field(f"{code} {name}", Rating.choices, "Not rated")
        _relayout(self)

    def gds_layout(self):
        return [
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.text("inspected_on", field_width=Fixed.TEN),
            Field.text("published_on", field_width=Fixed.TEN),
            Field.select("overall"),
            *[Field.select(rating_field(code)) for code, _ in HMIP_STANDARDS if rating_field(code) in self.fields],
            Field.text("report_url", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary"),
            Field("version"),
        ]

    def ratings(self) -> dict:
        return {code: self.cleaned_data.get(rating_field(code), "") for code, _ in HMIP_STANDARDS}


class RecommendationForm(GDSForm):
    submit_label = "Add recommendation"

    text = forms.CharField(
        label="Recommendation",
        max_length=4000,
        error_messages={"required": "Enter the recommendation"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def gds_layout(self):
        return [Field.textarea("text")]


class CommentForm(GDSForm):
    submit_label = "Add comment"

    text = forms.CharField(
        label="Comment",
        max_length=5000,
        error_messages={"required": "Enter your comment", "max_length": "Comment must be 5,000 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def gds_layout(self):
        return [Field.textarea("text")]
