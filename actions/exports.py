"""Tracker downloads (XLSX and CSV) in the same columns the import reads, so a round trip works."""

from actions.selectors import tracker
from yjplan.exports import Sheet, csv_response, xlsx_response

HEADER = [
    "Ref",
    "Improvement target",
    "Action",
    "Lead",
    "Target date",
    "RAG completed",
    "Evidence of impact",
    "RAG impact",
    "Source",
    "Source reference",
    "Latest progress",
    "Last updated",
]


def tracker_rows(*, partnership, today) -> list[list]:
    data = tracker(partnership=partnership, today=today)
    rows = []
    for group in data["groups"]:
        for row in group.rows:
            a = row.action
            rows.append(
                [
                    a.reference,
                    a.priority.title if a.priority else "",
                    a.text,
                    row.initials,
                    a.target_date.strftime("%d/%m/%Y") if a.target_date else "",
                    a.get_completion_display(),
                    a.outcome,
                    a.get_impact_display(),
                    a.get_source_display(),
                    a.source_reference,
                    a.latest_update.text if a.latest_update else "",
                    a.last_update_at.strftime("%d/%m/%Y") if a.last_update_at else "",
                ]
            )
    return rows


def tracker_download(*, partnership, today, fmt: str):
    rows = tracker_rows(partnership=partnership, today=today)
    name = f"{partnership.slug}-action-tracker-{today:%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", HEADER, rows)
    widths = {0: 8, 1: 40, 2: 60, 3: 12, 4: 12, 5: 14, 6: 50, 7: 18, 8: 24, 9: 18, 10: 60, 11: 12}
    return xlsx_response(f"{name}.xlsx", [Sheet("Action tracker", HEADER, rows, widths=widths)])
