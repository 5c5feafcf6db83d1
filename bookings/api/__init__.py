"""Bookings endpoints by audience (DESIGN.md section 8): ``customer`` (my bookings, dashboard, promo check,
contact form), ``checkout``, and ``admin`` (the staff ones)."""
