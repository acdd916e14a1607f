"""Forms of the self-assessment (GOV.UK layouts through crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms

from performance.capability.models import Score
from yjplan.forms import GDSForm

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y"]
SCORE_CHOICES = [(str(v), label) for v, label in Score.choices] + [("", "Not scored yet")]


def _score_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"{label} must be 0 (poor), 1 (adequate), 2 (good) or 3 (excellent)"},
    )


def _date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text="For example, 31/7/2010.",
        error_messages={
            "invalid": f"{label} must be a real date, like 31/7/2010",
            "required": f"Enter the {label.lower()}",
        },
        widget=forms.DateInput(format="%d/%m/%Y"),
    )


def member_choices(members) -> list[tuple]:
    return [("", "Choose a member")] + [
        (m.pk, f"{m.user.full_name}{', ' + m.job_title if m.job_title else ''}") for m in members
    ]


class DynamicForm(GDSForm):
    """A form whose fields depend on the record: lay it out again once they are all added."""

    def relayout(self) -> None:
        self.helper.layout = Layout(*self.gds_layout(), Button("submit", self.submit_label))


class AssessmentForm(GDSForm):
    submit_label = "Start the self-assessment"
    year = forms.IntegerField(
        label="Year",
        help_text="The year the self-assessment is made, for example 2010.",
        error_messages={"required": "Enter the year", "invalid": "Enter the year as a number, like 2010"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def gds_layout(self):
        return [Field.text("year", field_width=Fixed.FOUR)]


class ResponseForm(DynamicForm):
    """Evidence and self-assessed score for those who may edit the area; validated score for validators."""

    submit_label = "Save activity"
    evidence = forms.CharField(
        label="Written evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Describe the work done, with supporting evidence. You can save and come back later.",
    )
    self_score = _score_field("Self-assessed score")
    validated_score = _score_field("Validated score")
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, may_edit: bool, may_validate: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_edit:
            del self.fields["evidence"], self.fields["self_score"]
        if not may_validate:
            del self.fields["validated_score"]
        self.relayout()

    def gds_layout(self):
        layout = []
        if "evidence" in self.fields:
            layout += [Field.textarea("evidence"), Field.radios("self_score", legend_size=Size.SMALL, small=True)]
        if "validated_score" in self.fields:
            layout.append(Field.radios("validated_score", legend_size=Size.SMALL, small=True))
        return [*layout, Field("version")]


class CommentForm(GDSForm):
    submit_label = "Add comment"
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a comment"},
    )

    def gds_layout(self):
        return [Field.textarea("text")]


RISK_SCALE = [(str(n), str(n)) for n in range(1, 6)]


class GapForm(GDSForm):
    """Seed 001 section 3: the gap, the risk it poses, the action, success criteria, owner and deadline."""

    submit_label = "Record the gap and create the action"
    gap = forms.CharField(
        label="Gap identified",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the self-assessment found missing or weak.",
        required=False,
    )
    risk = forms.CharField(
        label="Risk identified",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The risk this gap poses to the service's objectives. It is added to the risk register.",
        required=False,
    )
    likelihood = forms.ChoiceField(
        label="Likelihood (1 rare to 5 almost certain)", choices=[("", "Choose")] + RISK_SCALE, required=False
    )
    impact = forms.ChoiceField(
        label="Impact (1 minor to 5 severe)", choices=[("", "Choose")] + RISK_SCALE, required=False
    )
    action = forms.CharField(
        label="Action to overcome this risk",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It becomes a tracked action.",
        required=False,
    )
    success_criteria = forms.CharField(
        label="Success criteria",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="How the partnership will know the action has worked.",
        required=False,
    )
    owner = forms.ChoiceField(label="Owner", required=False)
    deadline = _date_field("Deadline")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = member_choices(members)

    def gds_layout(self):
        return [
            Field.textarea("gap"),
            Field.textarea("risk"),
            Field.select("likelihood"),
            Field.select("impact"),
            Field.textarea("action"),
            Field.textarea("success_criteria"),
            Field.select("owner"),
            Field.text("deadline", field_width=Fixed.TEN),
        ]


class AssignForm(DynamicForm):
    submit_label = "Save assignees"

    def __init__(self, *args, areas, members, **kwargs):
        self.areas = areas
        super().__init__(*args, **kwargs)
        for assignment in areas:
            name = f"area_{assignment.area.number}"
            self.fields[name] = forms.ChoiceField(
                label=f"{assignment.area.number}. {assignment.area.title}",
                required=False,
                choices=[("", "Nobody yet")] + member_choices(members)[1:],
                initial=assignment.assignee_id or "",
            )
        self.relayout()

    def gds_layout(self):
        return [Field.select(name) for name in self.fields]


class CommentaryForm(DynamicForm):
    submit_label = "Save commentary"

    def __init__(self, *args, tables, **kwargs):
        super().__init__(*args, **kwargs)
        for table in tables:
            self.fields[f"comment_{table.indicator.pk}"] = forms.CharField(
                label=f"Partnership comment on {table.indicator.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=table.commentary,
            )
        self.relayout()

    def gds_layout(self):
        return [Field.textarea(name) for name in self.fields]


SIGNOFF_ROWS = 6


class SignOffForm(DynamicForm):
    """Part three: name, role and date for each person who signs (six lines; empty lines are dropped)."""

    submit_label = "Save sign-off list"

    def __init__(self, *args, signoffs, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(max(SIGNOFF_ROWS, len(signoffs) + 2)):
            row = signoffs[index] if index < len(signoffs) else None
            self.fields[f"name_{index}"] = forms.CharField(
                label=f"Name {index + 1}", required=False, max_length=150, initial=row.name if row else ""
            )
            self.fields[f"role_{index}"] = forms.CharField(
                label=f"Role {index + 1}", required=False, max_length=300, initial=row.role if row else ""
            )
            self.fields[f"signed_on_{index}"] = _date_field(f"Date signed {index + 1}")
            self.fields[f"signed_on_{index}"].initial = row.signed_on if row else None
        self.relayout()

    @property
    def row_count(self) -> int:
        return sum(1 for name in self.fields if name.startswith("name_"))

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"name": data[f"name_{i}"], "role": data[f"role_{i}"], "signed_on": data[f"signed_on_{i}"]}
            for i in range(self.row_count)
        ]

    def gds_layout(self):
        layout = []
        for index in range(self.row_count):
            layout += [
                Field.text(f"name_{index}"),
                Field.text(f"role_{index}"),
                Field.text(f"signed_on_{index}", field_width=Fixed.TEN),
            ]
        return layout
