"""A backup restores to the same data: scripts/backup, then scripts/restore into a fresh database and media folder.

The demo's signed plans (their rendition PDFs and signed PDFs) are the evidence: every table has the same
number of rows, and every signed document's file has the same SHA-256 as the source's and as the one recorded
when it was made.
"""

import hashlib
import json
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from tests.conftest import require_or_skip
from yjplan.models import DocumentJob, Rendition

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]
ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "build" / "reliability" / "backup.json"


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin(statement):
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(statement)


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        tables = db.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return {
            name: db.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))).fetchone()[0]
            for (name,) in tables
        }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(script, *args, env):
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_to_the_same_rows_and_signed_documents(settings, tmp_path):
    require_or_skip(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)", "YJPLAN_REQUIRE_SERVICES")
    settings.DEBUG = True
    settings.DEMO_RENDER_PDFS = True
    call_command("seed_demo", verbosity=0)
    signed = list(
        DocumentJob.objects.filter(kind="yjplan.signed_plan", status="done")
        | DocumentJob.objects.filter(pk__in=Rendition.objects.filter(signatures__isnull=False).values("job_id"))
    )
    assert len(signed) == 4  # two signed demo plans: each rendition's PDF and its signed PDF
    source_media = Path(settings.MEDIA_ROOT)
    for job in signed:
        assert _sha256(source_media / job.file.name) == job.sha256

    source = connection.settings_dict["NAME"]
    fresh = f"{source}_restore"
    backup, media = tmp_path / "backup", tmp_path / "restored-media"
    _admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    try:
        backed_up = _run("backup", str(backup), env={"DATABASE_URL": _url(source), "MEDIA_ROOT": str(source_media)})
        restored = _run("restore", str(backup), env={"DATABASE_URL": _url(fresh), "MEDIA_ROOT": str(media)})
        before, after = _row_counts(_url(source)), _row_counts(_url(fresh))
        assert after == before
        with psycopg.connect(_url(fresh)) as db:
            triggers = db.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'yjplan_%' ORDER BY 1").fetchall()
        assert triggers == [("yjplan_signature_guard",), ("yjplan_signed_rendition_guard",)]
        for job in signed:
            assert _sha256(media / job.file.name) == _sha256(source_media / job.file.name) == job.sha256
        refused = subprocess.run(
            [str(ROOT / "scripts" / "restore"), str(backup)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": _url(fresh), "MEDIA_ROOT": str(tmp_path / "other")},
            capture_output=True,
            text=True,
        )
        assert refused.returncode == 1
        assert "Refusing to restore into a database that has tables" in refused.stdout
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh)))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "tables": len(before),
                "rows": sum(before.values()),
                "signed_documents": len(signed),
                "backup": backed_up.strip(),
                "restore": restored.strip(),
            },
            indent=2,
        )
        + "\n"
    )
