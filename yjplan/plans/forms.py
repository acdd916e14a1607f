"""Forms for writing the plan."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms

from yjplan.forms import GDSForm
from yjplan.models import Plan, PlanTemplate

YEAR_ERRORS = {
    "required": "Enter the year",
    "invalid": "Enter the year as 4 digits, like 2019",
    "min_value": "Enter a year from 2000",
    "max_value": "Enter a year before 2100",
}


def _year_field(label, help_text):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=2000,
        max_value=2099,
        error_messages=YEAR_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class PlanForm(GDSForm):
    submit_label = "Start the plan"
    title = forms.CharField(
        max_length=200,
        help_text="For example, Warwickshire Youth Justice Plan 2019/20.",
        error_messages={"required": "Enter a title for the plan"},
    )
    template = forms.ModelChoiceField(
        queryset=PlanTemplate.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Plan structure",
        help_text="The headings the plan starts with. You can add your own sections later.",
        error_messages={"required": "Choose a plan structure"},
    )
    first_year = _year_field("First financial year", "The year the plan starts: 2019 for 2019/20.")
    last_year = _year_field("Last financial year", "The same as the first year for a one-year plan.")
    update_of = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label="Annual update of (optional)",
        empty_label="Not an update",
    )

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partnership is not None:
            self.fields["update_of"].queryset = Plan.objects.filter(partnership=partnership)

    def gds_layout(self):
        return [
            Field.text("title"),
            Field.radios("template", legend_size=Size.SMALL),
            Field.text("first_year", field_width=Fixed.FOUR),
            Field.text("last_year", field_width=Fixed.FOUR),
            Field.select("update_of"),
        ]

    def clean(self):
        data = super().clean()
        if data.get("first_year") and data.get("last_year") and data["last_year"] < data["first_year"]:
            self.add_error("last_year", "The last year must be the same as or after the first year")
        return data


class SectionForm(GDSForm):
    submit_label = "Save section"
    title = forms.CharField(label="Heading", max_length=200, error_messages={"required": "Enter a heading"})
    body = forms.CharField(
        label="Section text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Headings, lists, bold, italic, links and simple tables. Tables from the records appear as blocks.",
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput)

    def gds_layout(self):
        return [Field.text("title", field_width=Fluid.FULL), Field.textarea("body"), Field("base_revision")]


class SectionAddForm(GDSForm):
    submit_label = "Add section"
    title = forms.CharField(
        label="Heading of the new section",
        max_length=200,
        help_text="For example, Feedback from children and families.",
        error_messages={"required": "Enter a heading"},
    )

    def gds_layout(self):
        return [Field.text("title", field_width=Fluid.TWO_THIRDS)]
