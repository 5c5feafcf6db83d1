"""Admin API endpoints that span apps (DESIGN.md section 8), one module per use case: ``dashboard``,
``analytics``, ``people`` (users with their bookings, staff accounts), ``system`` (settings, audit log,
caches), ``notifications`` (seed 002 stats and jobs, broadcast) and ``bookings`` (the list and status
change, which reach ``partners``).

Each view names the Django permission it needs (``docs/permissions.md``, matrix "back office"); roles
grant permissions, so the same rules hold in the Django admin. Writes go through
``adminpanel.services`` (audited); reads through ``adminpanel.selectors`` and the owning app's
selectors. An app's own staff endpoints live in that app's ``api/admin.py`` (``bookings``,
``accounts``, ``catalog``...); ``adminpanel.urls`` routes them all under ``/api/v1/admin/``.
"""
