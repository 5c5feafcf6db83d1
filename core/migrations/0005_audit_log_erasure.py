"""The audit log's trigger lets one change through: a person's erasure (``core.audit.erase``).

An ``UPDATE`` passes only in a transaction that set ``core.audit_erasure = on`` and only when no column but the
recorded values (``changes``) and the actor's contacts and origin (``actor_name``, ``actor_email``,
``ip_address``, ``user_agent``) changes; every other ``UPDATE``, every ``DELETE``, and a ``TRUNCATE`` outside the
test suite's maintenance setting are refused as before (migration ``0004``).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$
DECLARE
    ERASABLE CONSTANT text[] := ARRAY['changes', 'actor_name', 'actor_email', 'ip_address', 'user_agent'];
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('core.audit_allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('core.audit_erasure', true) = 'on'
            AND (to_jsonb(NEW) - ERASABLE) = (to_jsonb(OLD) - ERASABLE) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_auditlog is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('core.audit_allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_auditlog is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_log_append_only")]

    operations = [migrations.RunPython(forward, backward)]
