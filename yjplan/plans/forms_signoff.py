"""Forms for review, approval and the sign-off chain, and the verification upload."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from yjplan.forms import GDSDateField, GDSForm
from yjplan.models import STATUTORY_AGENCIES, Comment, Membership

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _today_or_past(field, name):
    def check(self):
        value = self.cleaned_data.get(field)
        if value and value > timezone.localdate():
            raise ValidationError(f"{name} must be today or in the past")
        return value

    return check


class CommentForm(GDSForm):
    submit_label = "Add comment"
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter a comment", "max_length": "Comment must be 5,000 characters or fewer"},
    )
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [Field.textarea("text", label_size=Size.SMALL), Field("reply_to")]


class _MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership):
        extra = ", ".join(x for x in (membership.job_title, membership.organisation) if x)
        chair = " (chair)" if membership.is_chair else ""
        return f"{membership.user.full_name}{chair}" + (f" – {extra}" if extra else "")


class ReviewRequestForm(GDSForm):
    submit_label = "Request review"
    reviewers = _MemberChoice(
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who should review the draft?",
        help_text="Board members and the chair. Each gets an email asking them to comment on the sections.",
        error_messages={"required": "Choose at least one board member", "invalid_choice": "Choose board members"},
    )
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, what you would most like the board's view on.",
    )
    respond_by = GDSDateField(
        name="the respond-by date", label="Respond by (optional)", required=False, help_text="For example, 27 5 2019"
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = (
            Membership.objects.filter(partnership=partnership)
            .filter(Q(is_board=True) | Q(is_chair=True))
            .select_related("user")
            .order_by("-is_chair", "user__full_name")
        )

    def gds_layout(self):
        return [
            Field.checkboxes("reviewers", legend_size=Size.MEDIUM),
            Field.textarea("message"),
            Field("respond_by"),
        ]

    def clean_respond_by(self):
        value = self.cleaned_data.get("respond_by")
        if value and value < timezone.localdate():
            raise ValidationError("The respond-by date must be today or in the future")
        return value


class ApproveForm(GDSForm):
    submit_label = "Approve the plan"
    minute = forms.CharField(
        label="Board decision or minute reference",
        max_length=200,
        help_text="For example, YJMB 12 June 2019, minute 4.",
        error_messages={"required": "Enter the board meeting's decision or minute reference"},
    )

    def gds_layout(self):
        return [Field.text("minute", field_width=Fluid.TWO_THIRDS)]


class SignatoriesForm(GDSForm):
    submit_label = "Save signatories"
    members = _MemberChoice(
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which statutory partners are asked to sign?",
        help_text="Board members who represent a statutory partner. The chair always signs.",
        error_messages={"invalid_choice": "Choose statutory partners on the board"},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = statutory_board_members(partnership)

    def gds_layout(self):
        return [Field.checkboxes("members", legend_size=Size.MEDIUM)]


def statutory_board_members(partnership):
    return (
        Membership.objects.filter(partnership=partnership, is_board=True, is_chair=False, agency__in=STATUTORY_AGENCIES)
        .select_related("user")
        .order_by("user__full_name")
    )


class SignForm(GDSForm):
    submit_label = "Sign the plan"
    full_name = forms.CharField(
        label="Type your full name",
        max_length=150,
        help_text="As it is on your account. Typing it is your signature.",
        error_messages={"required": "Type your full name"},
    )
    role = forms.CharField(
        label="Role",
        max_length=150,
        help_text="For example, Chair, Youth Justice Management Board.",
        error_messages={"required": "Enter your role"},
    )
    organisation = forms.CharField(max_length=150, error_messages={"required": "Enter your organisation"})
    statement = forms.CharField(
        label="Statement",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the statement you sign"},
    )

    def gds_layout(self):
        return [
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("role", field_width=Fluid.TWO_THIRDS),
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("statement"),
        ]


class SubmissionForm(GDSForm):
    submit_label = "Record submission"
    submitted_on = GDSDateField(
        name="the date the plan was submitted", label="Date submitted to the YJB", help_text="For example, 28 6 2019"
    )
    feedback = forms.CharField(
        label="Feedback from the YJB (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    clean_submitted_on = _today_or_past("submitted_on", "The date the plan was submitted")

    def gds_layout(self):
        return [Field("submitted_on"), Field.textarea("feedback")]


ADOPTION_BODIES = [("Cabinet", "Cabinet"), ("Full Council", "Full Council")]


class AdoptionForm(GDSForm):
    submit_label = "Record adoption"
    council = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which council adopted the plan?",
        error_messages={"required": "Choose the council", "invalid_choice": "Choose one of the partnership's councils"},
    )
    body = forms.ChoiceField(
        choices=ADOPTION_BODIES,
        widget=forms.RadioSelect,
        label="Which body adopted it?",
        error_messages={
            "required": "Choose Cabinet or Full Council",
            "invalid_choice": "Choose Cabinet or Full Council",
        },
    )
    adopted_on = GDSDateField(name="the date of adoption", label="Date adopted", help_text="For example, 16 7 2019")
    reference = forms.CharField(
        label="Decision reference (optional)",
        required=False,
        max_length=100,
        help_text="For example, the minute or item number.",
    )

    clean_adopted_on = _today_or_past("adopted_on", "The date of adoption")

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils

    def gds_layout(self):
        return [
            Field.radios("council", legend_size=Size.SMALL),
            Field.radios("body", legend_size=Size.SMALL, inline=True),
            Field("adopted_on"),
            Field.text("reference", field_width=Fluid.ONE_HALF),
        ]


class AmendForm(GDSForm):
    submit_label = "Start the amendment"
    reason = forms.CharField(
        label="Why is the plan being amended?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This is recorded with the new version and shown to those who sign it.",
        error_messages={"required": "Say why the plan is being amended"},
    )

    def gds_layout(self):
        return [Field.textarea("reason", label_size=Size.SMALL)]


class VerifyForm(GDSForm):
    submit_label = "Check the file"
    file = forms.FileField(
        label="Upload the PDF",
        help_text="A PDF of 20MB or less.",
        error_messages={
            "required": "Select a PDF to check",
            "empty": "The selected file is empty",
            "invalid": "The selected file must be a PDF",
        },
    )

    def gds_layout(self):
        return [Field("file")]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The selected file must be smaller than 20MB")
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError("The selected file must be a PDF")
        return upload


def reply_target(section, pk) -> Comment | None:
    return Comment.objects.filter(section=section, pk=pk).first() if pk else None
