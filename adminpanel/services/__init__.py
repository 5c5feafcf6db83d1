"""Back-office writes that span apps, by use case: ``bookings`` (the status change), ``staff`` (staff
accounts), ``caches``, ``notifications`` (broadcast, seed 002 jobs). Each one is audited
(``core.audit.track``: before and after) and calls the owning app's service for the rule itself
(bookings' state machine, partners' completion, roles). An app's own staff writes live in that app
(``bookings.services.staff``, ``bookings.services.promos``, ``accounts.services.blocking``...).
"""
