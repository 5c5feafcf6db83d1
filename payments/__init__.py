"""Payments: a generic money layer (DESIGN.md sections 1 and 6).

It knows what it charges for only through the payable interface and the
callback registry of :mod:`payments.registry`; it never imports a domain app.
"""
