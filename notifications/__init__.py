"""Notifications: message backends now; the inbox, preferences and delivery tasks come with their issue.

A generic layer (DESIGN.md section 1): it never imports a domain app.
"""
