"""Accounts API views, one module per use case (signin, session, passwords, profile, addresses)."""
