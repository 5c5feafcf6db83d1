"""Back-office permissions that belong to no table (dashboards, analytics, staff, caches).

``BackOffice`` is unmanaged and has no table: it only carries permissions so
that roles (``accounts.roles``) grant them like any other, and the Django
admin honours them too. The audit log and system settings live in ``core``
(every app writes or reads them); the API and pages for them live here.
"""

from django.db import models


class BackOffice(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "Can see the admin dashboard"),
            ("view_analytics", "Can see analytics and reports"),
            ("manage_staff", "Can create, change and deactivate staff accounts"),
            ("manage_cache", "Can see cache statistics and clear caches"),
        ]

    def __str__(self) -> str:
        return "Back office"
