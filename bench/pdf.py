"""The plan PDF benchmark: the same ~40-page print HTML through WeasyPrint and through headless Chromium.

``python -m bench.pdf`` (also run by ``make bench``). Both are measured as users get them: a long-lived
renderer (our Celery worker calling ``yjplan.pdf.render_pdf``; one Chromium kept open with one page, driven
by Playwright) that renders the same HTML ``REPEATS`` times after a first, cold render; the figure compared
is the median of the warm renders. Each runs in its own process tree; its peak memory is the largest sum of
the renderer's resident set sizes (Python and WeasyPrint; Chromium's processes, not Playwright's driver),
sampled every 10 ms from /proc. The target: WeasyPrint no slower than Chromium, at a quarter of its memory
or less.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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
REPEATS = int(os.environ.get("BENCH_PDF_REPEATS", "3"))
# Each script prints the seconds of every render, the first one cold.
WEASYPRINT = """
import os, sys, time
from pathlib import Path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjplan.settings")
import django
django.setup()
from yjplan.pdf import render_pdf
html, target, repeats = Path(sys.argv[1]).read_text("utf-8"), Path(sys.argv[2]), int(sys.argv[3])
times = []
for number in range(repeats + 1):
    began = time.perf_counter()
    pdf, pages = render_pdf(html)
    times.append(time.perf_counter() - began)
    if number == 0:
        target.write_bytes(pdf)
print(" ".join(f"{t:.3f}" for t in times), pages)
"""
CHROMIUM_SCRIPT = """
import sys, time
from playwright.sync_api import sync_playwright
url, target, repeats, executable, flags = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
times = []
began = time.perf_counter()
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=executable, headless=True, args=flags)
    page = browser.new_page()
    for number in range(repeats + 1):
        if number:
            began = time.perf_counter()
        page.goto(url, wait_until="load")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)
        times.append(time.perf_counter() - began)
        if number == 0:
            open(target, "wb").write(pdf)
    browser.close()
print(" ".join(f"{t:.3f}" for t in times))
"""
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


def _tree_rss(pid: int, only: str = "") -> int:
    """Resident bytes of a process and all its descendants (only those whose name starts with ``only``)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                head, tail = handle.read().rsplit(")", 1)
        except OSError:
            continue
        fields = tail.split()
        child, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(child)
        rss[child] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        names[child] = head.split("(", 1)[1]
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        if names.get(current, "").startswith(only):
            total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def measure(command: list[str], *, only: str = "") -> dict:
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid, only))
        time.sleep(0.01)
    seconds = time.perf_counter() - began
    output = process.stdout.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"bench: {command[0]} failed with {process.returncode}")
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 1024 / 1024, 1), "output": output.strip()}


def pages(pdf: Path) -> int:
    """The page count by poppler's pdfinfo, or by counting page objects (Chromium's PDFs keep them plain)."""
    if shutil.which("pdfinfo") is None:
        return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _timed(run: dict, times: list[str], pages: int) -> dict:
    times = [float(x) for x in times]
    warm = sorted(times[1:])
    return {
        "seconds": warm[len(warm) // 2],
        "cold_seconds": times[0],
        "warm_runs": times[1:],
        "process_seconds": run["seconds"],
        "peak_mb": run["peak_mb"],
        "pages": pages,
    }


def run(repeats: int = REPEATS) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjplan.settings")
    import django

    django.setup()
    from yjplan.plans.content import print_html

    folder = Path(tempfile.mkdtemp(prefix="yjplan-pdf-bench-"))
    html = folder / "plan.html"
    html.write_text(print_html(large_snapshot(), rendition_number=1), encoding="utf-8")
    weasy_pdf, chrome_pdf = folder / "weasyprint.pdf", folder / "chromium.pdf"
    weasy = measure([sys.executable, "-c", WEASYPRINT, str(html), str(weasy_pdf), str(repeats)])
    *times, count = weasy["output"].split()
    result = {"html_bytes": html.stat().st_size, "repeats": repeats, "weasyprint": _timed(weasy, times, int(count))}
    if not Path(CHROMIUM).exists():
        result["chromium"] = None
        return result
    flags = [f for f in CHROMIUM_FLAGS if f != "--headless"]
    chrome = measure(
        [sys.executable, "-c", CHROMIUM_SCRIPT, html.as_uri(), str(chrome_pdf), str(repeats), CHROMIUM, *flags],
        only="chrom",
    )
    result["chromium"] = _timed(chrome, chrome["output"].split(), pages(chrome_pdf))
    result["time_ratio"] = round(result["weasyprint"]["seconds"] / result["chromium"]["seconds"], 2)
    result["memory_ratio"] = round(result["weasyprint"]["peak_mb"] / result["chromium"]["peak_mb"], 2)
    return result


def report(result: dict) -> None:
    print(f"\n{'renderer':<12} {'pages':>5} {'warm s':>8} {'cold s':>8} {'peak MB':>8}")
    for name in ("weasyprint", "chromium"):
        row = result[name]
        if row is None:
            print(f"{name:<12} not installed ({CHROMIUM}): apt-get install chromium")
            continue
        print(f"{name:<12} {row['pages']:>5} {row['seconds']:>8.2f} {row['cold_seconds']:>8.2f} {row['peak_mb']:>8.1f}")
    print(
        f"Warm: the median of {result['repeats']} renders in a renderer already running (our worker; a Chromium "
        "kept open). Cold: the first render, including imports or starting the browser."
    )
    if result["chromium"] is not None:
        print(
            f"WeasyPrint takes {result['time_ratio']:.2f}× Chromium's time and {result['memory_ratio']:.2f}× its "
            "memory (target: ≤ 1.00× time, ≤ 0.25× memory)"
        )


if __name__ == "__main__":
    outcome = run()
    report(outcome)
    print(json.dumps(outcome))
