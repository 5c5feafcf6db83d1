"""Notifications endpoints by audience (DESIGN.md section 8): ``inbox`` (a person's own) and ``admin`` (staff)."""
