"""Every write of the accounts app, one module per use-case area.

Functions are keyword-only and named ``<entity>_<action>``; each use case is
one transaction, and messages go out on commit.
"""
