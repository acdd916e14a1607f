"""Forms for the hub, laid out with crispy-forms-gds (GOV.UK Design System)."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from yjplan.models import AgencyType, Nation, Partnership, Region
from yjplan.permissions import Role


class GDSForm(forms.Form):
    """A form with a GOV.UK helper: no <form> tag (templates own it) and a named submit button."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.gds_layout(), Button("submit", self.submit_label))

    def gds_layout(self):
        return [Field(name) for name in self.fields]


class SignInForm(AuthenticationForm):
    """E-mail sign-in. The field is called ``username`` (Django's convention); it holds the e-mail."""

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off. Ask your partnership administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Sign in"),
        )


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task queue, like every other e-mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("email", field_width=Fluid.TWO_THIRDS), Button("submit", "Send link"))

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from django.template import loader

        from yjplan.services import email_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_send(to=[to_email], subject=subject, body=body)


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class MembershipForm(GDSForm):
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one role"},
    )
    job_title = forms.CharField(max_length=150, required=False, label="Job title (optional)")
    organisation = forms.CharField(
        max_length=150,
        required=False,
        label="Organisation (optional)",
        help_text="For example, Cambridgeshire Constabulary.",
    )
    agency = forms.ChoiceField(
        choices=[("", "Not a partner agency")] + AgencyType.choices,
        required=False,
        label="Partner agency (optional)",
        help_text="Board members confirm their own agency's budget line.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [
            Field.checkboxes("roles", legend_size=Size.MEDIUM),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field.select("agency"),
            Field("version"),
        ]


class MemberAddForm(MembershipForm):
    submit_label = "Add member"
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        help_text="Needed when the person does not have an account yet.",
    )

    field_order = ["email", "full_name", "roles", "job_title", "organisation", "agency"]

    def gds_layout(self):
        return [
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            *super().gds_layout()[:-1],
        ]


class PartnershipForm(GDSForm):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the partnership's name"})
    nation = forms.ChoiceField(choices=Nation.choices, widget=forms.RadioSelect)
    region = forms.ChoiceField(choices=Region.choices)
    yot_family = forms.CharField(
        label="YOT family",
        max_length=100,
        required=False,
        help_text="The statistical comparator group the YJB places the service in.",
    )
    police_force_area = forms.CharField(label="Police force and PCC area", max_length=100, required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [
            Field.text("name"),
            Field.radios("nation", legend_size=Size.SMALL),
            Field.select("region"),
            Field.text("yot_family", field_width=Fluid.TWO_THIRDS),
            Field.text("police_force_area", field_width=Fluid.TWO_THIRDS),
            Field("version"),
        ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        qs = Partnership.objects.filter(name__iexact=name)
        if self.initial.get("pk"):
            qs = qs.exclude(pk=self.initial["pk"])
        if qs.exists():
            raise forms.ValidationError("Another partnership already has this name")
        return name


class CouncilForm(GDSForm):
    submit_label = "Add council"
    name = forms.CharField(
        label="Council name",
        max_length=150,
        help_text="For example, Peterborough City Council.",
        error_messages={"required": "Enter the council's name"},
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=60,
        help_text="As used in tables, for example Peterborough.",
        error_messages={"required": "Enter a short name for tables"},
    )

    def gds_layout(self):
        return [Field.text("name", field_width=Fluid.TWO_THIRDS), Field.text("short_name", field_width=Fluid.ONE_HALF)]


class PopulationForm(GDSForm):
    submit_label = "Save population"
    year = forms.IntegerField(
        min_value=1990,
        max_value=2100,
        label="Year",
        help_text="The mid-year estimate's year, for example 2018.",
        error_messages={
            "required": "Enter the year",
            "invalid": "Year must be a number, like 2018",
            "min_value": "Year must be 1990 or later",
            "max_value": "Year must be 2100 or earlier",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    population_10_17 = forms.IntegerField(
        min_value=1,
        max_value=5_000_000,
        label="Children aged 10 to 17",
        help_text="From the ONS mid-year estimate, for example 64,200.",
        error_messages={
            "required": "Enter the 10 to 17 population",
            "invalid": "Population must be a whole number, like 64200",
            "min_value": "Population must be at least 1",
            "max_value": "Population must be 5,000,000 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def gds_layout(self):
        return [Field.text("year", field_width=Fixed.FOUR), Field.text("population_10_17", field_width=Fixed.TEN)]

    def clean_population_10_17(self):
        return self.cleaned_data["population_10_17"]

    def _clean_fields(self):
        # Accept "64,200" as people write it.
        if self.is_bound and "population_10_17" in self.data:
            data = self.data.copy()
            data[self.add_prefix("population_10_17")] = (
                str(data.get(self.add_prefix("population_10_17"), "")).replace(",", "").strip()
            )
            self.data = data
        super()._clean_fields()


class _PasswordHelperMixin:
    button_label = "Save password"

    def _add_helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False
        for name, field in self.fields.items():
            field.help_text = (
                field.help_text
                if name != "new_password1"
                else ("Use at least 10 characters. Avoid common passwords and ones that are all numbers.")
            )
        self.helper.layout = Layout(
            *[Field.text(name, field_width=Fluid.TWO_THIRDS) for name in self.fields],
            Button("submit", self.button_label),
        )


class GDSSetPasswordForm(_PasswordHelperMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class GDSPasswordChangeForm(_PasswordHelperMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


PARTS = ("day", "month", "year")


class GDSDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with the Design System's error messages.

    ``name`` is how the messages call the date ("the date of adoption"); each message is tied to the
    part that is wrong, so the error summary links to that box.
    """

    def __init__(self, *, name: str, **kwargs):
        self.name = name
        super().__init__(**kwargs)
        self.require_all_fields = False
        for sub in self.fields:
            sub.required = False

    def _fail(self, message: str, parts=(0,)):
        for index in parts:
            self.fields[index].widget.errors = [message]
        raise ValidationError(message)

    def clean(self, value):
        for sub in self.fields:
            sub.widget.errors = []
        value = [str(v or "").strip() for v in (value or ["", "", ""])]
        value += [""] * (3 - len(value))
        if not any(value):
            if self.required:
                self._fail(f"Enter {self.name}")
            return None
        missing = [i for i, v in enumerate(value) if not v]
        if missing:
            words = " and ".join(PARTS[i] for i in missing)
            self._fail(f"{self.name[0].upper()}{self.name[1:]} must include a {words}", missing[:1])
        if not all(v.isdigit() for v in value):
            self._fail(
                f"{self.name[0].upper()}{self.name[1:]} must be a real date",
                [i for i, v in enumerate(value) if not v.isdigit()][:1],
            )
        if len(value[2]) != 4:
            self._fail("Year must include 4 numbers", (2,))
        try:
            return date(int(value[2]), int(value[1]), int(value[0]))
        except ValueError:
            self._fail(f"{self.name[0].upper()}{self.name[1:]} must be a real date")
