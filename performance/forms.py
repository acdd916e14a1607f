"""Forms of the performance spoke (crispy-forms-gds layouts)."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms

from performance.models import AreaKind, PeriodType, Polarity, Unit
from yjplan.forms import GDSForm

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"]


def date_field(label: str, help_text: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=DATE_INPUTS,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a real date, like 31/12/2018",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def number_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=20,
        decimal_places=6,
        error_messages={
            "invalid": f"{label.split(' (')[0]} must be a number, like 42",
            "max_digits": f"{label.split(' (')[0]} is too long",
            "max_decimal_places": f"{label.split(' (')[0]} can have at most 6 decimal places",
            "max_whole_digits": f"{label.split(' (')[0]} is too large",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


class _Commas:
    """Accept numbers as people write them: "83,600"."""

    number_fields: tuple[str, ...] = ()

    def _clean_fields(self):
        if self.is_bound:
            data = self.data.copy()
            for name in self.number_fields:
                key = self.add_prefix(name)
                if key in data:
                    data[key] = str(data.get(key, "")).replace(",", "").strip()
            self.data = data
        super()._clean_fields()


class ObservationForm(_Commas, GDSForm):
    submit_label = "Save figure"
    number_fields = ("numerator", "denominator", "value")

    indicator = forms.TypedChoiceField(coerce=int, error_messages={"required": "Choose an indicator"})
    area = forms.TypedChoiceField(coerce=int, error_messages={"required": "Choose an area"})
    period_start = date_field("Period start", "The first day of the period, for example 01/01/2018.")
    period_end = date_field("Period end", "The last day of the period, for example 31/12/2018.")
    label = forms.CharField(
        label="Period label (optional)",
        max_length=60,
        required=False,
        help_text="As published, for example Jan–Dec 2018 or Apr–Jun 2017 cohort.",
    )
    numerator = number_field("Numerator (optional)", "For example, the number of children who reoffended.")
    denominator = number_field("Denominator (optional)", "For example, the number of children in the cohort.")
    value = number_field(
        "Value (optional when both numbers are given)",
        "The published figure. With a numerator and denominator it is worked out for you.",
    )
    source = forms.CharField(label="Source (optional)", max_length=200, required=False)
    published_on = date_field("Date published", "For example, 27/01/2022.", required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "Choose an indicator")] + [
            (i.pk, f"{i.code}: {i.name}") for i in indicators
        ]
        self.fields["area"].choices = [("", "Choose an area")] + [
            (a.pk, f"{a.name} ({a.get_kind_display().lower()})") for a in areas
        ]
        self.fields["published_on"].label = "Date published (optional)"
        self.fields["published_on"].error_messages["invalid"] = "Date published must be a real date, like 27/01/2022"

    def gds_layout(self):
        return [
            Field.select("indicator"),
            Field.select("area"),
            Field.text("period_start", field_width=Fixed.TEN),
            Field.text("period_end", field_width=Fixed.TEN),
            Field.text("label", field_width=Fluid.ONE_HALF),
            Field.text("numerator", field_width=Fixed.TEN),
            Field.text("denominator", field_width=Fixed.TEN),
            Field.text("value", field_width=Fixed.TEN),
            Field.text("source", field_width=Fluid.TWO_THIRDS),
            Field.text("published_on", field_width=Fixed.TEN),
            Field("version"),
        ]


class PeriodForm(GDSForm):
    """The period a grid or a wide import is for."""

    submit_label = "Show the grid"
    period_start = date_field("Period start", "For example, 01/04/2023.")
    period_end = date_field("Period end", "For example, 30/06/2023.")
    group = forms.ChoiceField(
        label="Indicators",
        choices=[
            ("kpi", "YJB key performance indicators"),
            ("national", "National indicators"),
            ("local", "Local indicators"),
        ],
    )

    def gds_layout(self):
        return [
            Field.text("period_start", field_width=Fixed.TEN),
            Field.text("period_end", field_width=Fixed.TEN),
            Field.select("group"),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts")
        return data


class ImportForm(GDSForm):
    submit_label = "Check the file"

    file = forms.FileField(
        label="Spreadsheet (CSV or Excel .xlsx)",
        help_text="Up to 20 MB.",
        error_messages={"required": "Choose a CSV or Excel file", "empty": "The file is empty"},
    )
    layout = forms.ChoiceField(
        label="Layout",
        choices=[
            ("long", "One figure a row: indicator, area, period start, period end, numerator, denominator, value"),
            ("wide", "One period: a row per indicator, a column per area code"),
        ],
        widget=forms.RadioSelect,
        initial="long",
        error_messages={"required": "Choose the file's layout"},
    )
    period_start = date_field("Period start", "Only for the one-period layout, for example 01/04/2023.", False)
    period_end = date_field("Period end", "Only for the one-period layout, for example 30/06/2023.", False)
    label = forms.CharField(
        label="Period label (optional)",
        max_length=60,
        required=False,
        help_text="Only for the one-period layout, for example Apr–Jun 2023.",
    )

    def gds_layout(self):
        return [
            Field("file"),
            Field.radios("layout", legend_size=Size.SMALL),
            Field.text("period_start", field_width=Fixed.TEN),
            Field.text("period_end", field_width=Fixed.TEN),
            Field.text("label", field_width=Fluid.ONE_HALF),
        ]

    def clean(self):
        data = super().clean()
        if data.get("layout") == "wide":
            for name in ("period_start", "period_end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Enter the period the figures are for (needed for the one-period layout)")
            start, end = data.get("period_start"), data.get("period_end")
            if start and end and end < start:
                self.add_error("period_end", "The period must end on or after the day it starts")
        return data


class SettingsForm(GDSForm):
    submit_label = "Save settings"

    small_numerator = forms.IntegerField(
        label="Smallest numerator to test",
        min_value=1,
        max_value=1000,
        help_text="Figures with fewer children or events than this carry a small-numbers caution. Usually 5.",
        error_messages={
            "required": "Enter the smallest numerator",
            "invalid": "The smallest numerator must be a whole number, like 5",
            "min_value": "The smallest numerator must be 1 or more",
            "max_value": "The smallest numerator must be 1,000 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    small_cohort = forms.IntegerField(
        label="Smallest cohort to test",
        min_value=1,
        max_value=100000,
        help_text="Figures from a smaller cohort carry a small-numbers caution. Usually 30.",
        error_messages={
            "required": "Enter the smallest cohort",
            "invalid": "The smallest cohort must be a whole number, like 30",
            "min_value": "The smallest cohort must be 1 or more",
            "max_value": "The smallest cohort must be 100,000 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    suppress_small_counts = forms.BooleanField(
        label="Hide counts of 1 to 4 in published output (the plan and the KPI return)", required=False
    )
    baseline_year = forms.IntegerField(
        label="Baseline year (optional)",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Direction of travel against the baseline compares the latest figure with each indicator's first "
        "period ending in this year, for example 2016. Leave empty to use the earliest period recorded.",
        error_messages={
            "invalid": "The baseline year must be a year, like 2016",
            "min_value": "The baseline year must be 2000 or later",
            "max_value": "The baseline year must be 2100 or earlier",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [
            Field.text("small_numerator", field_width=Fixed.FIVE),
            Field.text("small_cohort", field_width=Fixed.FIVE),
            Field.checkbox("suppress_small_counts"),
            Field.text("baseline_year", field_width=Fixed.FOUR),
            Field("version"),
        ]


class AreaForm(GDSForm):
    submit_label = "Add comparator"

    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter the area's name"})
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="Used in imports, for example FAMILY-2 or NEIGHBOUR.",
        error_messages={"required": "Enter a code"},
    )
    kind = forms.ChoiceField(
        label="Kind of area",
        choices=[(k.value, k.label) for k in AreaKind if k not in (AreaKind.PARTNERSHIP, AreaKind.ENGLAND)],
    )

    def gds_layout(self):
        return [
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("code", field_width=Fixed.TEN),
            Field.select("kind"),
        ]


class AreaRenameForm(GDSForm):
    submit_label = "Save name"

    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter the area's name"})
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [Field.text("name", field_width=Fluid.TWO_THIRDS), Field("version")]


class IndicatorForm(GDSForm):
    submit_label = "Add indicator"

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="Used in imports, for example LOCAL-ETE-16.",
        error_messages={"required": "Enter a code"},
    )
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the indicator's name"})
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices)
    decimals = forms.IntegerField(
        label="Decimal places shown",
        min_value=0,
        max_value=4,
        initial=1,
        error_messages={
            "required": "Enter the decimal places",
            "invalid": "Decimal places must be a whole number, like 1",
            "min_value": "Decimal places must be 0 or more",
            "max_value": "Decimal places must be 4 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    multiplier = forms.DecimalField(
        label="Multiplier",
        initial=100,
        max_digits=12,
        decimal_places=2,
        help_text="The value is numerator ÷ denominator × this: 100 for a percentage, 1,000 for a rate per 1,000.",
        error_messages={"required": "Enter the multiplier", "invalid": "The multiplier must be a number, like 100"},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    polarity = forms.ChoiceField(label="Better when", choices=Polarity.choices)
    period_type = forms.ChoiceField(label="Period", choices=PeriodType.choices)
    is_share = forms.BooleanField(label="The numerator can never exceed the denominator (a share)", required=False)
    source = forms.CharField(label="Source (optional)", max_length=200, required=False)

    def gds_layout(self):
        return [
            Field.text("code", field_width=Fixed.TEN),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.select("unit"),
            Field.text("decimals", field_width=Fixed.TWO),
            Field.text("multiplier", field_width=Fixed.TEN),
            Field.select("polarity"),
            Field.select("period_type"),
            Field.checkbox("is_share"),
            Field.text("source", field_width=Fluid.TWO_THIRDS),
        ]
