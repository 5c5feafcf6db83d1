"""The audit log refuses UPDATE, DELETE and TRUNCATE on PostgreSQL, from any client (even a superuser's SQL).

TRUNCATE passes only in a session that set ``core.audit_allow_truncate = on``
on purpose: the test suite does, so that a transactional test can empty the
database between tests (tests/conftest.py).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('core.audit_allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_auditlog is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditlog_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditlog
    FOR EACH ROW EXECUTE FUNCTION core_auditlog_append_only();

CREATE TRIGGER core_auditlog_no_truncate
    BEFORE TRUNCATE ON core_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditlog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditlog_no_truncate ON core_auditlog;
DROP TRIGGER IF EXISTS core_auditlog_no_update_delete ON core_auditlog;
DROP FUNCTION IF EXISTS core_auditlog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_system_settings_and_audit_log")]

    operations = [migrations.RunPython(forward, backward)]
