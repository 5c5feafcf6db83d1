"""Accounts endpoints for staff (DESIGN.md section 8); the rest of the accounts API is ``accounts.views``."""
