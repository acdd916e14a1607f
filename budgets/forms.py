"""Budget forms. The entry table is a form with one field per cell, built from the year's rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms

from budgets.models import Agency, BudgetYear, ContributionLine
from budgets.money import MoneyError, parse_money, plain_money
from budgets.services import LineInput
from yjplan.forms import GDSForm
from yjplan.models import Nation

LAYOUTS = {"yjb": "YJB layout", "joint": "Joint-service layout"}
YJB_COLUMNS = [
    ("staffing_costs", "Staffing costs"),
    ("payments_in_kind", "Payments in kind"),
    ("other_delegated_funds", "Other delegated funds"),
]
NEW_OTHER_ROWS = 2


class MoneyField(forms.CharField):
    """A text input with ``inputmode="decimal"``; cleaned to Decimal with the row and column in each error."""

    def __init__(self, *, row_label: str, column_label: str, **kwargs):
        self.row_label, self.column_label = row_label, column_label
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "class": "govuk-input app-money-input", "autocomplete": "off"}
            ),
        )
        super().__init__(label=f"{row_label}: {column_label.lower()}", max_length=40, **kwargs)

    def clean(self, value):
        try:
            value = super().clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"{self.row_label}, {self.column_label.lower()}: Enter an amount in pounds, like 1,234 or 1,234.56"
            ) from None
        try:
            return parse_money(value)
        except MoneyError as error:
            raise forms.ValidationError(f"{self.row_label}, {self.column_label.lower()}: {error}") from None


@dataclass
class EntryRow:
    key: str
    label: str
    agency: str
    other: bool = False  # an "Other" row: its name is a cell too
    line_ids: dict = field(default_factory=dict)  # council pk (or None) -> saved line pk
    cells: list = field(default_factory=list)  # field names in column order, filled by the form
    name_field: str = ""
    note_field: str = ""
    council_id: int | None = None  # YJB layout of a joint service: one row per council


def _agencies(partnership) -> list[str]:
    return [
        a.value
        for a in Agency
        if a != Agency.OTHER and (a != Agency.WELSH_GOVERNMENT or partnership.nation == Nation.WALES)
    ]


def entry_rows(*, partnership, lines: list[ContributionLine], councils: list, layout: str) -> list[EntryRow]:
    """The editable table's rows: every agency of the reference list, the saved "Other" lines, two blank ones."""
    joint_service = len(councils) > 1
    rows: list[EntryRow] = []
    if layout == "yjb" and joint_service:
        by_key = {(line.agency, line.council_id, line.other_name): line for line in lines}
        for agency in _agencies(partnership):
            for council in councils:
                line = by_key.get((agency, council.pk, ""))
                rows.append(
                    EntryRow(
                        key=f"{agency}_c{council.pk}",
                        label=f"{Agency(agency).label}, {council.short_name}",
                        agency=agency,
                        line_ids={council.pk: line.pk if line else None},
                        council_id=council.pk,
                    )
                )
        for line in lines:
            if line.agency == Agency.OTHER:
                rows.append(
                    EntryRow(
                        key=f"o{line.pk}",
                        label=f"{line.other_name}, {line.council.short_name if line.council_id else ''}".rstrip(", "),
                        agency=Agency.OTHER,
                        other=True,
                        line_ids={line.council_id: line.pk},
                        council_id=line.council_id,
                    )
                )
        return rows
    by_agency: dict[tuple, dict] = {}
    first_pk: dict[str, int] = {}
    for line in lines:
        by_agency.setdefault((line.agency, line.other_name), {})[line.council_id] = line.pk
        if line.agency == Agency.OTHER:
            first_pk.setdefault(line.other_name, line.pk)
    for agency in _agencies(partnership):
        rows.append(
            EntryRow(key=agency, label=Agency(agency).label, agency=agency, line_ids=by_agency.get((agency, ""), {}))
        )
    for name, pk in first_pk.items():
        rows.append(
            EntryRow(
                key=f"o{pk}", label=name, agency=Agency.OTHER, other=True, line_ids=by_agency[(Agency.OTHER, name)]
            )
        )
    for n in range(1, NEW_OTHER_ROWS + 1):
        rows.append(EntryRow(key=f"new{n}", label=f"New other contributor {n}", agency=Agency.OTHER, other=True))
    return rows


class BudgetEntryForm(GDSForm):
    """One input per cell. YJB layout: staffing | in kind | other delegated (and a note); joint layout:
    per council cash | in kind."""

    submit_label = "Save budget"

    def __init__(self, *args, rows: list[EntryRow], councils: list, layout: str, lines: list, **kwargs):
        self.rows, self.councils, self.layout = rows, councils, layout
        self.lines_by_id = {line.pk: line for line in lines}
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        for row in rows:
            if row.other:
                row.name_field = f"{row.key}-other_name"
                self.fields[row.name_field] = forms.CharField(
                    label=f"{row.label}: name",
                    required=False,
                    max_length=120,
                    error_messages={"max_length": f"{row.label}, name: must be 120 characters or fewer"},
                )
                self.fields[row.name_field].widget.attrs.update({"class": "govuk-input app-name-input"})
            if layout == "yjb":
                for column, column_label in YJB_COLUMNS:
                    name = f"{row.key}-{column}"
                    self.fields[name] = MoneyField(row_label=row.label, column_label=column_label)
                    row.cells.append({"name": name, "column": column})
                row.note_field = f"{row.key}-note"
                self.fields[row.note_field] = forms.CharField(
                    label=f"{row.label}: note",
                    required=False,
                    max_length=300,
                    error_messages={"max_length": f"{row.label}, note: must be 300 characters or fewer"},
                    widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea app-note-input"}),
                )
            else:
                for council in councils if len(councils) > 1 else [None]:
                    suffix = f"_c{council.pk}" if council else ""
                    short = council.short_name if council else ""
                    for column, column_label in (("cash", "Cash"), ("payments_in_kind", "In kind")):
                        name = f"{row.key}{suffix}-{column}"
                        label = f"{short} {column_label.lower()}".strip() if short else column_label
                        self.fields[name] = MoneyField(row_label=row.label, column_label=label)
                        row.cells.append({"name": name, "column": column, "council": council.pk if council else None})
        self._fill_initial()

    def table_rows(self) -> list[dict]:
        """Rows with their bound fields, for the template."""
        totals = self.totals()
        out = []
        for row in self.rows:
            out.append(
                {
                    "row": row,
                    "name": self[row.name_field] if row.name_field else None,
                    "note": self[row.note_field] if row.note_field else None,
                    "cells": [self[cell["name"]] for cell in row.cells],
                    "total": totals["rows"][row.key],
                }
            )
        return out

    def _fill_initial(self):
        for row in self.rows:
            if row.other and row.line_ids:
                first = self.lines_by_id.get(next(iter(row.line_ids.values())))
                if first is not None:
                    self.initial[row.name_field] = first.other_name
            for cell in row.cells:
                line = self._line_for(row, cell.get("council"))
                if line is not None:
                    value = line.cash if cell["column"] == "cash" else getattr(line, cell["column"])
                    self.initial[cell["name"]] = plain_money(value)
            if row.note_field:
                line = self._line_for(row, row.council_id)
                if line is not None:
                    self.initial[row.note_field] = line.note

    def _line_for(self, row: EntryRow, council_id):
        if self.layout == "yjb":
            pk = next(iter(row.line_ids.values()), None) if row.line_ids else None
        else:
            pk = row.line_ids.get(council_id) if council_id is not None else row.line_ids.get(None)
            if pk is None and len(self.councils) <= 1:
                pk = next(iter(row.line_ids.values()), None)
        return self.lines_by_id.get(pk) if pk else None

    def sent(self, row: EntryRow) -> bool:
        """Only rows whose cells were on the page are saved (a row added by someone else meanwhile is left alone)."""
        return all(cell["name"] in self.data for cell in row.cells)

    def line_inputs(self) -> list[LineInput]:
        data = self.cleaned_data
        inputs = []
        for row in self.rows:
            if not self.sent(row):
                continue
            name = data.get(row.name_field, "").strip() if row.other else ""
            label = row.label if not row.other or row.key.startswith("o") else (name or row.label)
            if (
                row.other
                and row.key.startswith("new")
                and not name
                and all(data.get(c["name"]) == 0 for c in row.cells)
            ):
                continue
            if self.layout == "yjb":
                inputs.append(
                    LineInput(
                        key=row.key,
                        label=label,
                        agency=row.agency,
                        council_id=row.council_id,
                        other_name=name,
                        staffing_costs=data[f"{row.key}-staffing_costs"],
                        payments_in_kind=data[f"{row.key}-payments_in_kind"],
                        other_delegated_funds=data[f"{row.key}-other_delegated_funds"],
                        note=data.get(row.note_field, ""),
                        name_key=row.name_field or None,
                        line_id=next(iter(row.line_ids.values()), None) if row.line_ids else None,
                    )
                )
                continue
            for council in self.councils if len(self.councils) > 1 else [None]:
                suffix = f"_c{council.pk}" if council else ""
                line_id = row.line_ids.get(council.pk) if council else next(iter(row.line_ids.values()), None)
                inputs.append(
                    LineInput(
                        key=f"{row.key}{suffix}",
                        label=f"{label}, {council.short_name}" if council else label,
                        agency=row.agency,
                        council_id=council.pk if council else None,
                        other_name=name,
                        cash=data[f"{row.key}{suffix}-cash"],
                        payments_in_kind=data[f"{row.key}{suffix}-payments_in_kind"],
                        name_key=row.name_field or None,
                        line_id=line_id,
                    )
                )
        return inputs

    def totals(self) -> dict:
        """Row, column and grand totals of what the form shows (posted values where they parse)."""
        values = {}
        for row in self.rows:
            for cell in row.cells:
                raw = self[cell["name"]].value()
                try:
                    values[cell["name"]] = parse_money(raw)
                except MoneyError:
                    values[cell["name"]] = Decimal(0)
        row_totals = {row.key: sum((values[c["name"]] for c in row.cells), Decimal(0)) for row in self.rows}
        width = len(self.rows[0].cells) if self.rows else 0
        columns = [sum((values[row.cells[i]["name"]] for row in self.rows), Decimal(0)) for i in range(width)]
        return {"rows": row_totals, "columns": columns, "total": sum(columns, Decimal(0))}


class YearAddForm(GDSForm):
    submit_label = "Add budget year"
    start_year = forms.IntegerField(
        label="Financial year starting in",
        help_text="For example, 2019 for the financial year 2019/20 (April 2019 to March 2020).",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter the year the financial year starts, like 2019",
            "invalid": "Year must be a number, like 2019",
            "min_value": "Year must be 2000 or later",
            "max_value": "Year must be 2100 or earlier",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    copy_from = forms.TypedChoiceField(
        label="Start from the figures of (optional)", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, years: list[BudgetYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].choices = [("", "An empty table")] + [(y.start_year, y.label) for y in years]

    def gds_layout(self):
        return [Field.text("start_year", field_width=Fixed.FOUR), Field.select("copy_from")]


class YearDetailsForm(GDSForm):
    submit_label = "Save details"
    children_worked_with = forms.IntegerField(
        label="Children worked with in the year (optional)",
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text="Every child the service worked with, at any tier. Used for the cost per child. Leave it "
        "blank to take it from the performance data when that holds all four quarterly KPI returns of the year.",
        error_messages={
            "invalid": "Children worked with must be a whole number, like 328",
            "min_value": "Children worked with cannot be negative",
            "max_value": "Children worked with must be 1,000,000 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    outcomes = forms.IntegerField(
        label="Outcomes in the year (optional)",
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text="Out-of-court and court outcomes (disposals). Used for the cost per outcome. Leave it blank "
        "to take it from the performance data when that holds the year's court and out-of-court disposals.",
        error_messages={
            "invalid": "Outcomes must be a whole number, like 384",
            "min_value": "Outcomes cannot be negative",
            "max_value": "Outcomes must be 1,000,000 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where the figures come from, and anything the board should know.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def gds_layout(self):
        return [
            Field.text("children_worked_with", field_width=Fixed.FIVE),
            Field.text("outcomes", field_width=Fixed.FIVE),
            Field.textarea("notes"),
            Field("version"),
        ]


class ConfirmForm(GDSForm):
    submit_label = "Confirm this line"
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="Required when you confirm for a partner: say on whose behalf, and how they agreed.",
        widget=forms.TextInput(),
    )

    def gds_layout(self):
        return [Field.text("note", field_width=Fluid.FULL)]


class StatusForm(GDSForm):
    status = forms.ChoiceField(choices=BudgetYear.Status.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Why lock it (for a lock)", required=False, max_length=300)

    def gds_layout(self):
        return [Field.radios("status", legend_size=Size.SMALL), Field.text("reason")]


class ImportForm(GDSForm):
    submit_label = "Upload and preview"
    file = forms.FileField(
        label="Spreadsheet (CSV or Excel .xlsx, up to 5 MB)",
        error_messages={"required": "Choose a CSV or Excel file to upload"},
    )
    layout = forms.ChoiceField(
        label="Layout of the file",
        choices=list(LAYOUTS.items()),
        widget=forms.RadioSelect,
        initial="yjb",
    )

    def gds_layout(self):
        return [Field("file"), Field.radios("layout", legend_size=Size.SMALL)]
