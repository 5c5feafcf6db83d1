"""Back-office reads by use case: ``dashboard``, ``analytics``, ``people``, ``bookings`` (the staff list),
``system`` (audit log, caches), on what they share (``common``).

Every figure is computed by the database: aggregations (``Sum``, ``Count``, ``Avg``, ``Trunc*``) and
correlated subqueries, never Python loops over rows, so each report costs a fixed number of queries
whatever the number of bookings (asserted in ``tests/adminpanel/test_queries.py``; timings in
``benchmarks/``).
"""
