"""``python -m bench.run`` (``make bench``): load every page in ``bench.pages.PAGES`` with wrk.

1. Creates the PostgreSQL database ``yjplan_bench`` (``BENCH_DATABASE_URL`` overrides it), migrates it
   and fills it with ``bench.generate``. It is rebuilt when the generators' code changed since it was
   filled (``BENCH_FRESH=1`` forces that), then ``ANALYZE``s it.
2. Counts each page's SQL queries in this process with Django's test client: kept (the second visit,
   served by the whole-page cache of ADR 015) and fresh (every cache emptied first, as after a write).
3. Serves the database with gunicorn (2 sync workers) in production settings (``DEBUG=0``, static files
   collected into a temporary folder and served by WhiteNoise) except that plain http on 127.0.0.1 is
   allowed (no HTTPS redirect, cookies without the Secure flag) and the lock-out is off; signs in once
   per role with a real POST, and runs
   ``wrk -t2 -c16 -d${BENCH_SECONDS:-10}s`` per page, ``bench/report.lua`` giving p50/p95/p99; then again
   for ``${BENCH_FRESH_SECONDS:-5}`` s a page with a server whose whole-page cache is off
   (``PAGE_CACHE_SECONDS=0``; fragments still cached), the cost of a page whose data keeps changing.
4. Prints the table and writes ``bench/results/latest.json``. Any non-2xx answer or socket error fails.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/yjplan_bench"
THREADS, CONNECTIONS, WORKERS = 2, 16, 2
FRESH_SECONDS = int(os.environ.get("BENCH_FRESH_SECONDS", "5"))


def fail(message: str) -> None:
    raise SystemExit(f"bench: {message}")


# --- The database ---------------------------------------------------------------------------


def prepare_database(url: str, mark: str, fresh: bool) -> bool:
    """Create the database, or drop and recreate it when it was filled by other generators.

    The generators' fingerprint is kept as the database's comment. Returns True when it is up to date.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        fail(f"the benchmark needs PostgreSQL, not {parts.scheme}")
    name = sql.Identifier(parts.path.lstrip("/"))
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [parts.path.lstrip("/")],
        ).fetchone()
        if row and (fresh or row[0] != mark):
            print("Rebuilding the bench database: the generators changed (or BENCH_FRESH=1).")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
            row = None
        if row is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return row is not None


def mark_database(url: str, mark: str) -> None:
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        name = sql.Identifier(parts.path.lstrip("/"))
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(name, sql.Literal(mark)))


def build_database(url: str) -> None:
    from django.core.management import call_command

    from bench.generate import fingerprint, generate

    mark = fingerprint()
    if prepare_database(url, mark, fresh=os.environ.get("BENCH_FRESH") == "1"):
        print("Bench database up to date.")
    print("Migrating…")
    call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    if generate():
        print(f"Generated the data set in {time.monotonic() - started:.1f} s.")
    mark_database(url, mark)


# --- Queries, counted in this process -------------------------------------------------------


def count_queries(path: str, email: str | None) -> tuple[int, int]:
    """The page's queries when it is kept (ADR 015) and when it is rendered afresh."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yjplan.models import User

    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    client.get(path)  # a long-running worker has its per-process caches filled
    with CaptureQueriesContext(connection) as kept:
        response = client.get(path)
    if response.status_code != 200:
        fail(f"{path} answered {response.status_code} in process (as {email or 'anonymous'})")
    cache.clear()  # what the first visit after a write costs: the page and its fragments rendered afresh
    with CaptureQueriesContext(connection) as fresh:
        client.get(path)
    return len(kept), len(fresh)


# --- Serving and signing in -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(env: dict, workers: int = WORKERS, startup: float = 30):
    """Run gunicorn until the block ends; yield its base URL once /healthz/ answers."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    port = free_port()
    command = [str(gunicorn), "yjplan.wsgi:application", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + startup
            while True:
                try:
                    with build_opener().open(f"{base}/healthz/", timeout=2):
                        break
                except (URLError, ConnectionError, TimeoutError):
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        fail(f"gunicorn did not start:\n{log.read().decode(errors='replace')[-3000:]}")
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, email: str, password: str) -> str:
    """POST the sign-in form like a browser; return the Cookie header of the signed-in session."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        fail("the sign-in page has no csrfmiddlewaretoken field")
    form = urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token[1]}).encode()
    try:
        opener.open(Request(f"{base}/accounts/login/", data=form))  # noqa: S310 (our own http server)
    except HTTPError as error:
        if error.code != 302:
            fail(f"signing in as {email} answered {error.code}")
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        fail(f"signing in as {email} failed (wrong password, or no such user in the bench data?)")
    return f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}"


def check_status(url: str, cookie: str | None) -> None:
    """One plain request first: a redirect to sign-in would otherwise be benchmarked as a fast page."""
    request = Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with build_opener(NoRedirect).open(request) as response:
            status = response.status
    except HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
        hint = " (to the sign-in page: the session cookie is wrong)" if "/accounts/login/" in location else ""
        fail(f"{url} answered {status} {location}{hint}")
    if status != 200:
        fail(f"{url} answered {status}")


# --- Load ----------------------------------------------------------------------------------


def load(url: str, cookie: str | None, seconds: int) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(ROOT / "bench" / "report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^BENCH-RESULT (.*)$", output, re.MULTILINE)
    if found is None:
        fail(f"no result from wrk for {url}:\n{output}")
    result = json.loads(found[1])
    errors = {k: v for k, v in result.items() if k.endswith(("_errors", "timeouts")) and v}
    if errors or result["requests"] == 0:
        fail(f"{url}: {result['requests']} requests with errors {errors} (non-2xx/3xx or socket errors)")
    return result


def figures(result: dict) -> dict:
    return {
        "requests_per_s": round(result["requests"] / (result["duration_us"] / 1e6), 1),
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p95_ms": round(result["p95_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "requests": result["requests"],
    }


def main() -> None:
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    static_root = tempfile.mkdtemp(prefix="yjplan-bench-static-")
    env = {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "yjplan.settings",
    }
    os.environ.update(env)
    print("Collecting static files…")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env={**os.environ}, check=True
    )

    import django

    django.setup()
    from django.db import connections

    from bench.generate import PASSWORD, bench_slug
    from bench.pages import PAGES
    from yjplan.models import Partnership

    build_database(database_url)
    with connections["default"].cursor() as cursor:
        # Planner statistics, as autovacuum would have them (this machine's PostgreSQL runs with it off):
        # without them PostgreSQL guesses row counts and scans whole tables for one assessment's rows.
        cursor.execute("ANALYZE")
    partnership = Partnership.objects.get(slug=bench_slug())
    pages = []
    for name, path, role in PAGES:
        path = path(partnership) if callable(path) else path.format(slug=partnership.slug)
        email = f"{role}@{partnership.slug}.bench" if role else None
        pages.append({"page": name, "path": path, "role": role, "email": email})
    print("Counting queries…")
    for page in pages:
        page["queries"] = count_queries(page["path"], page["email"])
    print("Importing 100,000 observations, and the same rows with a raw COPY…")
    from performance.bench import import_benchmark

    imports = import_benchmark(rows=100_000)
    connections.close_all()

    rows = []
    with serve({**os.environ, **env}) as base:
        cookies = {p["email"]: sign_in(base, p["email"], PASSWORD) for p in pages if p["email"]}
        for page in pages:
            url, cookie = base + page["path"], cookies.get(page["email"])
            check_status(url, cookie)
            print(f"Loading {page['page']} ({page['path']}) for {seconds} s…")
            load(url, cookie, 1)  # warm-up: each worker compiles templates, opens its connection, keeps the page
            result = load(url, cookie, seconds)
            rows.append(
                {
                    "page": page["page"],
                    "path": page["path"],
                    "role": page["role"],
                    **figures(result),
                    "queries": page["queries"][0],
                    "queries_fresh": page["queries"][1],
                }
            )
    # The same pages with whole-page caching off (fragments still cached): what a page costs when its
    # partnership's data keeps changing.
    with serve({**os.environ, **env, "PAGE_CACHE_SECONDS": "0"}) as base:
        cookies = {p["email"]: sign_in(base, p["email"], PASSWORD) for p in pages if p["email"]}
        for page, row in zip(pages, rows, strict=True):
            url, cookie = base + page["path"], cookies.get(page["email"])
            print(f"Loading {page['page']} with the page cache off for {FRESH_SECONDS} s…")
            load(url, cookie, 1)
            row["page_cache_off"] = figures(load(url, cookie, FRESH_SECONDS))
    print("Rendering a 40-page plan with WeasyPrint and with headless Chromium…")
    from bench import pdf

    pdfs = pdf.run()
    baseline = rows[0]["requests_per_s"]
    for row in rows:
        row["ratio"] = round(row["requests_per_s"] / baseline, 3)

    print()
    print(
        f"{'page':<24} {'requests/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'ratio':>6}"
        f"   {'uncached: req/s':>15} {'p95 ms':>8} {'queries':>7}"
    )
    for row in rows:
        off = row["page_cache_off"]
        print(
            f"{row['page']:<24} {row['requests_per_s']:>10,.1f} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} "
            f"{row['queries']:>7} {row['ratio']:>6.3f}   {off['requests_per_s']:>15,.1f} {off['p95_ms']:>8.2f} "
            f"{row['queries_fresh']:>7}"
        )
    print(
        "Uncached: whole-page caching off (PAGE_CACHE_SECONDS=0), fragments kept; its query count is a visit "
        "after a write, with every cache empty."
    )
    report = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "wrk": {"threads": THREADS, "connections": CONNECTIONS, "duration_s": seconds},
        "gunicorn": {"workers": WORKERS, "worker_class": "sync"},
        "database": "{0.hostname}:{0.port}{0.path}".format(urlsplit(database_url)),
        "partnership": partnership.slug,
        "rows": rows,
        "import": imports,
        "pdf": pdfs,
    }
    print(
        f"\nImport of {imports['rows']:,} observations: {imports['import_rows_per_s']:,.0f} rows/s, validation "
        f"included; raw COPY {imports['copy_rows_per_s']:,.0f} rows/s; ratio {imports['ratio']:.2f} (target ≥ 0.25)"
    )
    pdf.report(pdfs)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
