"""Cross-cutting API plumbing: envelope, errors, request id, pagination, health, embedded services.

``core`` imports no other app of ours (DESIGN.md section 1).
"""
