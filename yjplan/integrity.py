"""Signed renditions and their signatures cannot be changed, in code and, on PostgreSQL, by the database.

After the first signature a rendition is evidence: only ``signed_job`` may move on (the signed PDF is re-made
with each further signature) and ``requested_by`` may become empty (its author's account deleted). A
signature is never changed or deleted. The model methods refuse such saves; the triggers below refuse them
from any client (raw SQL, ``QuerySet.update``, a console), installed by migration 0005 and, because the test
suite runs without migrations, by ``tests/conftest.py`` on PostgreSQL.
"""

GUARD_SQL = """
CREATE OR REPLACE FUNCTION yjplan_signed_rendition_guard() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yjplan_signature WHERE rendition_id = OLD.id) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Rendition % is signed: it cannot be deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (to_jsonb(NEW) - 'signed_job_id' - 'requested_by_id') IS DISTINCT FROM
       (to_jsonb(OLD) - 'signed_job_id' - 'requested_by_id')
       OR (NEW.requested_by_id IS NOT NULL AND NEW.requested_by_id IS DISTINCT FROM OLD.requested_by_id) THEN
        RAISE EXCEPTION 'Rendition % is signed: only its signed document may change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION yjplan_signature_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Signature % cannot be changed or deleted', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS yjplan_signed_rendition_guard ON yjplan_rendition;
CREATE TRIGGER yjplan_signed_rendition_guard BEFORE UPDATE OR DELETE ON yjplan_rendition
    FOR EACH ROW EXECUTE FUNCTION yjplan_signed_rendition_guard();

DROP TRIGGER IF EXISTS yjplan_signature_guard ON yjplan_signature;
CREATE TRIGGER yjplan_signature_guard BEFORE UPDATE OR DELETE ON yjplan_signature
    FOR EACH ROW EXECUTE FUNCTION yjplan_signature_guard();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS yjplan_signed_rendition_guard ON yjplan_rendition;
DROP TRIGGER IF EXISTS yjplan_signature_guard ON yjplan_signature;
DROP FUNCTION IF EXISTS yjplan_signed_rendition_guard();
DROP FUNCTION IF EXISTS yjplan_signature_guard();
"""

# Columns of a signed rendition that may still change (see the module's docstring).
RENDITION_MUTABLE = frozenset({"signed_job", "requested_by"})


class SignedRecordError(Exception):
    """A signed rendition or a signature was about to be changed or deleted."""


def install_database_guards(connection) -> bool:
    """Create the triggers on PostgreSQL; elsewhere do nothing. Returns whether they were installed."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(GUARD_SQL)
    return True


def remove_database_guards(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(DROP_SQL)
