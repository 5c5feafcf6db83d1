"""Accounts: one identity for customers, residents, partners and staff (DESIGN.md section 3)."""
