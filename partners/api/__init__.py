"""The partners API, one module per audience (DESIGN.md section 8): routes in ``partners.urls``.

* ``partner_app``: ``/partner/...``, the partner's own profile, jobs, availability, earnings and payouts;
* ``vendors``: seed 002's ``/vendor-availability``, ``/vendor-search`` and ``/vendor-applications``;
* ``admin``: staff endpoints (``/admin/partners``, ``/admin/payouts``, manual assignment, earnings);
* ``internal``: service-token endpoints (``/internal/...``).

Input and output shapes are in ``partners.api.serializers`` (same modules),
shared pieces in ``common``. Views parse, authorise and call one service or
selector; queries live in ``partners.selectors``.
"""
