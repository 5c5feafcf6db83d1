"""Bookings endpoints by audience (DESIGN.md section 8): ``admin`` holds the staff ones."""
