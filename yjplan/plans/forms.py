"""Forms for writing the plan."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils.html import format_html

from yjplan.forms import GDSDateField, GDSForm
from yjplan.models import Plan, PlanTemplate


def _year_field(label, help_text):
    """A year, its error messages naming the field: the summary can show two of them at once."""
    name = label[0].lower() + label[1:]
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=2000,
        max_value=2099,
        error_messages={
            "required": f"Enter the {name}",
            "invalid": f"Enter the {name} as 4 digits, like 2019",
            "min_value": f"Enter a {name} from 2000",
            "max_value": f"Enter a {name} before 2100",
        },
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
            # help text is rendered as HTML: the partnership's name is somebody's input, so escape it
            self.fields["title"].help_text = format_html("For example, {} Plan 2025/26.", partnership.name)

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


class PlanDetailsForm(GDSForm):
    submit_label = "Save details"
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title for the plan"})
    due_date = GDSDateField(
        name="the date the plan is due to the YJB",
        label="Due to the YJB",
        help_text="30 June of the plan's first year unless the YJB set another date. For example, 30 6 2019",
    )

    def gds_layout(self):
        return [Field.text("title"), Field("due_date")]


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


class BlockOptionsForm(GDSForm):
    """The choices a block declares (``Block.option_fields``), as GOV.UK radios, selects and checkboxes."""

    submit_label = "Use these options"

    def __init__(self, *args, block, partnership, current: dict | None = None, **kwargs):
        current = current or {}
        initial = {}
        for spec in block.option_fields:
            value = current.get(spec.name)
            if spec.kind == "checkboxes":
                initial[spec.name] = [str(v) for v in value] if isinstance(value, list) else []
            else:
                initial[spec.name] = "" if value in (None, "") else str(value)
        self.block = block
        self.current = current
        super().__init__(*args, initial=initial, **kwargs)
        for spec in block.option_fields:
            self.fields[spec.name] = _option_field(spec, spec.choices_for(partnership))

    def gds_layout(self):
        layout = []
        for spec in self.block.option_fields:
            if spec.kind == "radios":
                layout.append(Field.radios(spec.name, legend_size=Size.SMALL))
            elif spec.kind == "checkboxes":
                layout.append(Field.checkboxes(spec.name, legend_size=Size.SMALL))
            else:
                layout.append(Field.select(spec.name))
        return layout

    def options(self) -> dict:
        """The marker's new options: the chosen values, plus any it had that the block does not declare."""
        names = {spec.name for spec in self.block.option_fields}
        chosen = {k: v for k, v in self.current.items() if k not in names}
        for spec in self.block.option_fields:
            value = self.cleaned_data.get(spec.name)
            if spec.kind == "checkboxes":
                if value:
                    chosen[spec.name] = [spec.coerce(v) for v in value]
            elif value not in (None, ""):
                chosen[spec.name] = spec.coerce(value)
        return chosen


def _option_field(spec, choices: list[tuple[str, str]]) -> forms.Field:
    label = spec.label
    invalid = {"invalid_choice": f"Choose {label[0].lower()}{label[1:]} from the list"}
    if spec.kind == "checkboxes":
        return forms.MultipleChoiceField(
            label=label,
            help_text=spec.hint,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={**invalid, "invalid_list": invalid["invalid_choice"]},
        )
    widget = forms.RadioSelect if spec.kind == "radios" else forms.Select
    return forms.ChoiceField(
        label=label,
        help_text=spec.hint,
        choices=[("", spec.default_label or "The default")] + choices,
        required=False,
        widget=widget,
        error_messages=invalid,
    )
