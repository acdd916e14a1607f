"""``python -m bench.soak`` (``make soak``): many people at once for minutes, then proof that nothing was lost.

1. Starts a private ``redis-server`` on a free port (the shared one is left alone), recreates the
   PostgreSQL database ``yjplan_soak`` (``SOAK_DATABASE_URL``), migrates it, seeds the demo and adds
   ``SOAK_USERS`` (200) managers with signed-in sessions, and a draft plan per demo partnership. The seeded
   database is kept for the next run (``SOAK_FRESH=1`` recreates it); each run adds its own people and plan.
2. Serves it with gunicorn (``SOAK_WORKERS``, 4 sync workers) in production settings (plain http on
   127.0.0.1 allowed, as in ``bench.run``) and one Celery worker rendering the PDFs.
3. Each simulated person is a thread with its own connections, looping for ``SOAK_SECONDS`` (300) with a
   pause of 0.5–2 s between steps: reading the action tracker, the dashboard and the plan; adding a
   progress update to an action (opening its form first, so it carries the version it saw); saving a plan
   section (opening the editor first, so it carries the revision it saw); asking for a rendition.
   Every write carries a unique marker.
4. Afterwards: every write answered 302 is in the database exactly once, every write answered 409
   (someone saved first: the conflict page keeps both texts) is in it zero times, no request failed
   (any other status or a socket error), every rendition asked for was made (or is still queued when
   the run ends, counted); p50/p95 per request type printed and written to ``bench/results/soak.json``.
   Exit status 1 when anything was lost or failed.
"""

import http.client
import json
import os
import random
import re
import secrets
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.run import ROOT, fail, free_port, mark_database, prepare_database, serve

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/yjplan_soak"
RESULTS = ROOT / "bench" / "results" / "soak.json"
# request mix: (operation, weight)
MIX = [
    ("read tracker", 24),
    ("read dashboard", 20),
    ("read plan", 10),
    ("progress update", 22),
    ("save section", 16),
    ("request rendition", 1),
]
PAUSE = (0.5, 2.0)
SEEDED = "yjplan soak: demo seeded"  # the database's comment once seeded; SOAK_FRESH=1 starts again


@contextmanager
def private_redis():
    port = free_port()
    folder = tempfile.mkdtemp(prefix="yjplan-soak-redis-")
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*command, "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
                break
            time.sleep(0.1)
        else:
            fail("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=15)


@contextmanager
def worker(env: dict, log_path: Path):
    command = [sys.executable, "-m", "celery", "-A", "yjplan", "worker", "--concurrency=1", "--loglevel=WARNING"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The data --------------------------------------------------------------------------------


def build(users: int, run_id: str, seeded: bool) -> dict:
    """Seed the demo (unless ``seeded``), add this run's ``users`` managers with sessions and a draft plan per
    partnership; return the people and their targets."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from actions.models import Action
    from yjplan.models import Membership, Partnership, PlanTemplate, User
    from yjplan.permissions import Role
    from yjplan.plans import services as plans

    call_command("migrate", interactive=False, verbosity=0)
    if not seeded:
        call_command("seed_demo", force=True, verbosity=0)
    partnerships = list(Partnership.objects.filter(actions__isnull=False).distinct().order_by("slug"))
    template = PlanTemplate.objects.get(key="yjb-four-key-areas")
    targets = {}
    for partnership in partnerships:
        author = Membership.objects.filter(partnership=partnership).select_related("user").first().user
        plan = plans.plan_create(
            partnership=partnership,
            template=template,
            title=f"{partnership.name}: soak plan {run_id}",
            first_year=2026,
            last_year=2026,
            created_by=author,
        )
        targets[partnership.slug] = {
            "plan": plan.pk,
            "sections": list(plan.sections.values_list("pk", flat=True)),
            "actions": list(Action.objects.filter(partnership=partnership).values_list("pk", flat=True)),
        }
    people = []
    hashed = make_password(secrets.token_urlsafe(16))
    for n in range(users):
        partnership = partnerships[n % len(partnerships)]
        user = User.objects.create(
            email=f"soak{n}-{run_id}@{partnership.slug}.soak", full_name=f"Soak Person {n}", password=hashed
        )
        membership = Membership(partnership=partnership, user=user)
        membership.set_roles([Role.MANAGER])
        membership.save()
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append({"n": n, "slug": partnership.slug, "session": session.session_key})
    return {"targets": targets, "people": people}


# --- One simulated person --------------------------------------------------------------------


class Person(threading.Thread):
    def __init__(self, base: str, person: dict, targets: dict, run: str, until: float, seed: int):
        super().__init__(daemon=True)
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        self.person, self.run_id, self.until = person, run, until
        self.slug = person["slug"]
        self.targets = targets[self.slug]
        self.rng = random.Random(seed)
        self.csrf = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookie = f"sessionid={person['session']}; csrftoken={self.csrf}"
        self.timings = defaultdict(list)  # operation -> [ms]
        self.statuses = defaultdict(lambda: defaultdict(int))  # operation -> status -> count
        self.writes = []  # (kind, marker, status, detail)
        self.count = 0

    def request(self, operation: str, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie}
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf}
        began = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            status, text, location = (
                response.status,
                response.read().decode(errors="replace"),
                response.getheader("Location", ""),
            )
            connection.close()
        except OSError as error:
            status, text, location = f"socket error: {type(error).__name__}", "", ""
        self.timings[operation].append((time.perf_counter() - began) * 1000)
        self.statuses[operation][status] += 1
        return status, text, location

    def marker(self) -> str:
        self.count += 1
        return f"soak-{self.run_id}-{self.person['n']}-{self.count}"

    def run(self):
        ops, weights = zip(*MIX, strict=True)
        while time.monotonic() < self.until:
            getattr(self, "op_" + self.rng.choices(ops, weights)[0].replace(" ", "_"))()
            time.sleep(self.rng.uniform(*PAUSE))

    def op_read_tracker(self):
        self.request("read tracker", "GET", f"/p/{self.slug}/actions/")

    def op_read_dashboard(self):
        self.request("read dashboard", "GET", f"/p/{self.slug}/")

    def op_read_plan(self):
        self.request("read plan", "GET", f"/p/{self.slug}/plans/{self.targets['plan']}/")

    def op_progress_update(self):
        action = self.rng.choice(self.targets["actions"])
        path = f"/p/{self.slug}/actions/{action}/update/"
        status, page, _ = self.request("open update form", "GET", path)
        version = re.search(r'name="version" value="([^"]*)"', page)
        if status != 200 or version is None:
            return
        marker = self.marker()
        form = {
            "text": f"Progress noted by the soak test ({marker})",
            "completion": self.rng.choice(["red", "amber", "green"]),
            "impact": self.rng.choice(["no_impact", "progress_starting", "progress_made"]),
        }
        status, _, _ = self.request("progress update", "POST", path, form | {"version": version[1]})
        self.writes.append(("progress", marker, status, action))

    def op_save_section(self):
        section = self.rng.choice(self.targets["sections"])
        path = f"/p/{self.slug}/plans/{self.targets['plan']}/sections/{section}/edit/"
        status, page, _ = self.request("open section editor", "GET", path)
        revision = re.search(r'name="base_revision" value="(\d+)"', page)
        title = re.search(r'name="title" value="([^"]*)"', page)
        if status != 200 or revision is None or title is None:
            return
        marker = self.marker()
        body = f"<p>Words saved by the soak test ({marker}).</p>"
        form = {"title": title[1].replace("&amp;", "&"), "body": body, "base_revision": revision[1]}
        status, _, _ = self.request("save section", "POST", path, form)
        self.writes.append(("section", marker, status, section))

    def op_request_rendition(self):
        path = f"/p/{self.slug}/plans/{self.targets['plan']}/renditions/new/"
        status, _, location = self.request("request rendition", "POST", path, {})
        found = re.search(r"/documents/(\d+)/", location)
        self.writes.append(("rendition", found[1] if found else "", status, self.targets["plan"]))


# --- Checking and reporting ------------------------------------------------------------------


def wait_for_documents(seconds: int) -> dict:
    from yjplan.models import DocumentJob

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not DocumentJob.objects.filter(status__in=["queued", "rendering"]).exists():
            break
        time.sleep(2)
    return {s: DocumentJob.objects.filter(status=s).count() for s in ("queued", "rendering", "done", "failed")}


def check(writes: list, run_id: str) -> dict:
    """Each write answered 302 is in the database exactly once; each answered 409 is not in it."""
    from actions.models import ProgressUpdate
    from yjplan.models import DocumentJob, SectionRevision

    saved = defaultdict(int)
    for text in ProgressUpdate.objects.filter(text__contains=f"soak-{run_id}-").values_list("text", flat=True):
        saved[re.search(r"\((soak-[\w-]+)\)", text)[1]] += 1
    for body in SectionRevision.objects.filter(body__contains=f"soak-{run_id}-").values_list("body", flat=True):
        saved[re.search(r"\((soak-[\w-]+)\)", body)[1]] += 1
    jobs = set(DocumentJob.objects.values_list("pk", flat=True))
    result = defaultdict(lambda: defaultdict(int))
    lost = []
    for kind, marker, status, _ in writes:
        if kind == "rendition":
            ok = status == 302 and marker and int(marker) in jobs
            result[kind]["made" if ok else "failed"] += 1
            if not ok:
                lost.append((kind, marker, status))
            continue
        times = saved.get(marker, 0)
        if status == 302 and times == 1:
            result[kind]["saved once"] += 1
        elif status == 409 and times == 0:
            result[kind]["conflict, not saved"] += 1
        else:
            result[kind][f"status {status}, saved {times} times"] += 1
            lost.append((kind, marker, status, times))
    sent = {marker for kind, marker, *_ in writes if kind != "rendition"}
    strays = [marker for marker in saved if marker not in sent]
    return {"outcomes": {k: dict(v) for k, v in result.items()}, "problems": lost[:50], "unexpected": strays[:50]}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    database_url = os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE_URL)
    users = int(os.environ.get("SOAK_USERS", "200"))
    seconds = int(os.environ.get("SOAK_SECONDS", "300"))
    gunicorn_workers = int(os.environ.get("SOAK_WORKERS", "4"))
    run_id = secrets.token_hex(3)
    static_root = tempfile.mkdtemp(prefix="yjplan-soak-static-")
    with private_redis() as redis_url:
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DEBUG": "0",
            "SECRET_KEY": "soak-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": static_root,
            "MEDIA_ROOT": tempfile.mkdtemp(prefix="yjplan-soak-media-"),
            "AXES_ENABLED": "0",
            "DEMO_RENDER_PDFS": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "yjplan.settings",
        }
        os.environ.update(env)
        print("Collecting static files…")
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
        import django

        django.setup()
        from django.db import connections

        seeded = prepare_database(database_url, SEEDED, fresh=os.environ.get("SOAK_FRESH") == "1")
        print(f"Seeding {'' if seeded else 'the demo and '}{users} people…")
        data = build(users, run_id, seeded)
        mark_database(database_url, SEEDED)
        connections.close_all()
        log_path = Path(tempfile.mkdtemp(prefix="yjplan-soak-")) / "worker.log"
        with worker({**os.environ}, log_path), serve({**os.environ}, workers=gunicorn_workers, startup=180) as base:
            print(
                f"{users} people for {seconds} s against {base} (gunicorn {gunicorn_workers} workers, 1 Celery worker)…"
            )
            until = time.monotonic() + seconds
            people = [
                Person(base, person, data["targets"], run_id, until, seed=person["n"]) for person in data["people"]
            ]
            began = time.monotonic()
            for person in people:
                person.start()
                time.sleep(min(0.02, seconds / max(users, 1) / 10))  # a short ramp, not one thundering herd
            for person in people:
                person.join()
            elapsed = time.monotonic() - began
            print("Load finished; waiting for the PDFs still queued (up to 180 s)…")
            documents = wait_for_documents(180)
        report(people, data, run_id, users, seconds, elapsed, gunicorn_workers, documents, database_url, log_path)


def report(people, data, run_id, users, seconds, elapsed, gunicorn_workers, documents, database_url, log_path):
    timings, statuses = defaultdict(list), defaultdict(lambda: defaultdict(int))
    writes = []
    for person in people:
        for operation, values in person.timings.items():
            timings[operation] += values
        for operation, counts in person.statuses.items():
            for status, count in counts.items():
                statuses[operation][str(status)] += count
        writes += person.writes
    verdict = check(writes, run_id)
    failed = {
        op: {s: c for s, c in counts.items() if not (s.startswith(("2", "3")) or s == "409")}
        for op, counts in statuses.items()
    }
    failed = {op: counts for op, counts in failed.items() if counts}
    total = sum(len(v) for v in timings.values())
    rows = []
    print()
    print(f"{'request':<22} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for operation in sorted(timings, key=lambda o: -len(timings[o])):
        values = timings[operation]
        row = {
            "request": operation,
            "count": len(values),
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
            "statuses": dict(statuses[operation]),
        }
        rows.append(row)
        print(
            f"{operation:<22} {row['count']:>7} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f}  "
            + ", ".join(f"{s}: {c}" for s, c in sorted(row["statuses"].items()))
        )
    print(f"\n{total} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s) from {users} people.")
    print("Writes:", json.dumps(verdict["outcomes"]))
    print("PDF jobs at the end:", json.dumps(documents))
    ok = not failed and not verdict["problems"] and not verdict["unexpected"] and not documents["failed"]
    result = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "users": users,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 1),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "gunicorn": {"workers": gunicorn_workers, "worker_class": "sync"},
        "celery": {"workers": 1, "concurrency": 1},
        "database": "{0.hostname}:{0.port}{0.path}".format(urlsplit(database_url)),
        "rows": rows,
        "writes": verdict["outcomes"],
        "documents": documents,
        "failed_requests": failed,
        "lost_or_doubled": verdict["problems"],
        "unexpected_in_database": verdict["unexpected"],
        "passed": ok,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    if not ok:
        print(f"Worker log: {log_path}")
        print("FAILED:", json.dumps({"failed_requests": failed, "problems": verdict["problems"][:10]}))
        raise SystemExit(1)
    print("PASSED: every write is in the database exactly once or was answered as a conflict; no request failed.")


if __name__ == "__main__":
    main()
