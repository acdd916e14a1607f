"""Spreadsheet import (preview, every error by row and column, all or nothing) and export."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actions import imports
from actions.models import Action, Priority, ProgressUpdate, Risk
from tests.actions.factories import ActionFactory
from yjplan.tabular import TableError

HEADER = [
    "Ref",
    "Improvement Target",
    "Action",
    "Overall Lead",
    "Target Date",
    "RAG completed",
    "Evidence of Impact/ Outcome Measure",
    "Progress",
    "RAG Impact",
]
GOOD = [
    [
        "3",
        "Reduce remands and custody",
        "Write a remand strategy",
        "JH",
        "Sept 22",
        "On track",
        "Fewer remands",
        "Strategy drafted",
        "Progress starting",
    ],
    [
        "5",
        "Equality and diversity",
        "Review disproportionality findings",
        "KM/BB",
        "28/02/2022",
        "Amber",
        "Breach rates comparable",
        "",
        "No impact",
    ],
    [
        "7",
        "Embed the National Standards",
        "Complete the self-audit",
        "BB",
        "2023-03-31",
        "Completed",
        "Gradings validated",
        "",
        "Progress made",
    ],
]


def _csv(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _xlsx(rows, header) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_good_tracker_file_previews_then_imports(client, leicester, people):
    client.force_login(people["SW"].user)
    url = reverse("actions:import_upload", kwargs={"slug": "leicester"})
    upload = io.BytesIO(_csv(GOOD))
    upload.name = "tracker.csv"
    response = client.post(url, {"layout": "tracker", "file": upload})
    assert response.status_code == 200
    assert response.context["preview"].ok is True
    assert "Import 3 actions" in response.content.decode()
    assert Action.objects.count() == 0  # a preview saves nothing
    response = client.post(
        reverse("actions:import_confirm", kwargs={"slug": "leicester"}), {"token": response.context["token"]}
    )
    assert response.status_code == 302
    got = {
        a.reference: (
            a.priority.title,
            a.target_date,
            a.completion,
            a.impact,
            sorted(m.user.initials for m in a.leads.all()),
        )
        for a in Action.objects.select_related("priority")
    }
    assert got == {
        "3": ("Reduce remands and custody", dt.date(2022, 9, 30), "green", "progress_starting", ["JH"]),
        "5": ("Equality and diversity", dt.date(2022, 2, 28), "amber", "no_impact", ["BB", "KM"]),
        "7": ("Embed the National Standards", dt.date(2023, 3, 31), "complete", "progress_made", ["BB"]),
    }
    assert sorted(Priority.objects.values_list("number", flat=True)) == ["3", "5", "7"]
    assert list(ProgressUpdate.objects.values_list("action__reference", "text")) == [("3", "Strategy drafted")]


def test_a_file_with_bad_rows_lists_every_error_and_saves_nothing(client, leicester, people):
    ActionFactory(partnership=leicester, reference="2")
    rows = [
        GOOD[0],
        ["2", "Reoffending", "Track the live cohort", "BB", "soon", "Purple", "", "", "Lots"],
        ["", "Health", "", "ZZ", "31/12/2021", "Red", "", "", ""],
        ["3", "Custody", "Duplicate of row 2", "BB", "", "", "", "", ""],
    ]
    client.force_login(people["SW"].user)
    upload = io.BytesIO(_csv(rows))
    upload.name = "tracker.csv"
    response = client.post(
        reverse("actions:import_upload", kwargs={"slug": "leicester"}), {"layout": "tracker", "file": upload}
    )
    assert [str(e) for e in response.context["preview"].errors] == [
        "Row 3, column “Ref”: Action 2 already exists or repeats an earlier row",
        "Row 3, column “Target Date”: “soon” is not a date: write it like 31/3/2025",
        "Row 3, column “RAG completed”: “Purple” is not a completion RAG: "
        "use Not started, Red, Amber, On track or Complete",
        "Row 3, column “RAG Impact”: “Lots” is not an impact RAG: use No impact, Progress starting or Progress made",
        "Row 4, column “Ref”: Enter a reference, like 2 or 3.1",
        "Row 4, column “Action”: Enter the action",
        "Row 4, column “Overall Lead”: ZZ is not a member of this partnership",
        "Row 5, column “Ref”: Action 3 already exists or repeats an earlier row",
    ]
    html = response.content.decode()
    assert "8 problems in the file: nothing has been imported" in html
    assert "Import 4 actions" not in html
    assert response.context["token"] is None
    assert Action.objects.count() == 1


def test_apply_refuses_a_preview_with_errors_and_rolls_back_on_failure(leicester, people):
    preview = imports.parse(
        partnership=leicester,
        data=_csv([GOOD[0], ["9", "T", "", "BB", "", "", "", "", ""]]),
        filename="t.csv",
        layout="tracker",
    )
    with pytest.raises(TableError):
        imports.apply(partnership=leicester, preview=preview, membership=people["SW"])
    good = imports.parse(partnership=leicester, data=_csv(GOOD), filename="t.csv", layout="tracker")
    ActionFactory(partnership=leicester, reference="7")  # someone adds action 7 between preview and confirm
    with pytest.raises(Exception, match="Action 7 already exists"):
        imports.apply(partnership=leicester, preview=good, membership=people["SW"])
    assert list(Action.objects.values_list("reference", flat=True)) == ["7"]
    assert Priority.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not a table", "tracker.pdf", "The file must be a CSV or an Excel (.xlsx) file"),
        (b"a,b\n" + b"x" * (2 * 1024 * 1024), "big.csv", "The file must be smaller than 2 MB"),
        (b"Ref,Action\n", "empty.csv", "The file has a header but no rows"),
        (b"Gap,Owner\nx,y\n", "wrong.csv", "A column called “Ref” is missing"),
    ],
)
def test_files_of_the_wrong_type_or_size_are_refused(client, leicester, people, content, name, message):
    client.force_login(people["SW"].user)
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(
        reverse("actions:import_upload", kwargs={"slug": "leicester"}), {"layout": "tracker", "file": upload}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'href="#id_file"' in html
    assert Action.objects.count() == 0


def test_an_expired_or_forged_token_imports_nothing(client, leicester, people):
    client.force_login(people["SW"].user)
    response = client.post(
        reverse("actions:import_confirm", kwargs={"slug": "leicester"}), {"token": "forged"}, follow=True
    )
    assert "Nothing was imported: The preview has expired: upload the file again" in response.content.decode()
    assert Action.objects.count() == 0


def test_the_2010_improvement_plan_layout_makes_an_action_and_a_risk(leicester, people):
    header = ["Gap", "Risk", "Action", "Success criteria", "Owner", "Deadline"]
    rows = [
        [
            "No ETE data sharing with schools",
            "Children missing education go unseen",
            "Agree a data sharing protocol",
            "Protocol signed by all schools",
            "Sue Welford",
            "31/03/2011",
        ],
        ["", "", "", "", "Nobody Known", "March"],
    ]
    bad = imports.parse(
        partnership=leicester, data=_xlsx(rows, header), filename="plan.xlsx", layout="improvement_plan"
    )
    assert [str(e) for e in bad.errors] == [
        "Row 3, column “Action”: Enter the action",
        "Row 3, column “Deadline”: “March” is not a date: write it like 31/3/2025",
        "Row 3, column “Gap”: Enter the gap",
        "Row 3, column “Success criteria”: Enter the success criteria",
        "Row 3, column “Owner”: Nobody Known is not a member of this partnership",
        "Row 3, column “Risk”: Enter the risk",
    ]
    good = imports.parse(
        partnership=leicester, data=_xlsx(rows[:1], header), filename="plan.xlsx", layout="improvement_plan"
    )
    created = imports.apply(partnership=leicester, preview=good, membership=people["SW"])
    action = created[0]
    assert (action.reference, action.gap, action.outcome, action.source, action.target_date) == (
        "IP1",
        "No ETE data sharing with schools",
        "Protocol signed by all schools",
        "self_assessment",
        dt.date(2011, 3, 31),
    )
    assert [m.user.full_name for m in action.leads.all()] == ["Sue Welford"]
    risk = Risk.objects.get()
    assert (risk.title, risk.likelihood, risk.impact, risk.owner, list(risk.actions.all())) == (
        "Children missing education go unseen",
        3,
        3,
        people["SW"],
        [action],
    )


def test_export_xlsx_and_csv(client, leicester, people):
    imports.apply(
        partnership=leicester,
        preview=imports.parse(partnership=leicester, data=_csv(GOOD), filename="t.csv", layout="tracker"),
        membership=people["SW"],
    )
    ActionFactory(partnership=leicester, reference="=1+1", text="@SUM(A1)")
    client.force_login(people["VV"].user)
    url = reverse("actions:export", kwargs={"slug": "leicester"})
    response = client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "Ref",
        "Improvement target",
        "Action",
        "Lead",
        "Target date",
        "RAG completed",
        "Evidence of impact",
        "RAG impact",
    ]
    assert rows[1][:8] == [
        "3",
        "Reduce remands and custody",
        "Write a remand strategy",
        "JH",
        "30/09/2022",
        "On track",
        "Fewer remands",
        "Progress starting",
    ]
    assert rows[2][3] == "BB/KM"
    assert rows[4][:3] == ["'=1+1", "", "'@SUM(A1)"]
    response = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:6] == [
        "3",
        "Reduce remands and custody",
        "Write a remand strategy",
        "JH",
        "30/09/2022",
        "On track",
    ]
    # the export reads back through the import
    Action.objects.all().delete()
    Action.history.filter(history_type="-").delete()  # deleted actions' references are retired: forget them here
    again = imports.parse(
        partnership=leicester, data=_csv(rows[1:4], header=rows[0]), filename="again.csv", layout="tracker"
    )
    assert again.errors == []
    assert [r.action["completion"] for r in again.rows] == ["green", "amber", "complete"]
