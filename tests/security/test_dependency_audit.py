"""scripts/audit-dependencies fails on a known vulnerability and passes soft, saying so, when it cannot look."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "audit-dependencies"
DJANGO = next(
    line.split("==")[1] for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("Django==")
)
ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001"],
    "fixed_in": ["9.9.9"],
    "link": "https://osv.dev/vulnerability/PYSEC-2099-1",
    "withdrawn": None,
}


class _Index(BaseHTTPRequestHandler):
    """PyPI's JSON API for the locked packages: one advisory against the locked Django, none elsewhere."""

    def do_GET(self):
        name, version, _ = self.path.strip("/").split("/")
        vulnerable = name == "django" and version == DJANGO
        body = json.dumps({"info": {"name": name}, "vulnerabilities": [ADVISORY] if vulnerable else []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def index():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def audit(**env):
    return subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_a_known_vulnerability_fails_the_audit(index):
    result = audit(AUDIT_INDEX=index)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"VULNERABLE django=={DJANGO}: PYSEC-2099-1 (fixed in 9.9.9)" in result.stdout
    assert "1 known vulnerabilities" in result.stdout


def test_an_accepted_advisory_is_ignored_by_any_of_its_ids(index):
    result = audit(AUDIT_INDEX=index, AUDIT_IGNORE="CVE-2099-0001")
    assert result.returncode == 0, result.stdout
    assert "0 known vulnerabilities" in result.stdout
    assert "UNCHECKED" not in result.stdout


def test_no_vulnerability_data_passes_soft_unless_strict():
    result = audit(AUDIT_INDEX="http://127.0.0.1:9/pypi", AUDIT_TIMEOUT="2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "UNCHECKED" in result.stdout
    assert "Audited 0 of" in result.stdout
    strict = audit(AUDIT_INDEX="http://127.0.0.1:9/pypi", AUDIT_TIMEOUT="2", AUDIT_STRICT="1")
    assert strict.returncode == 1
    assert "AUDIT_STRICT=1: an unchecked package fails the audit" in strict.stdout
