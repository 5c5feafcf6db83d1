"""Bookings: checkout, bookings, promo codes, contact submissions (seed 000), the booking WebSocket (seed 002).

Bookings are a payable of the payments layer (``bookings.payable``). The
partners engine (the partners app, above this one) assigns partners to
bookings waiting in ``pending``; this app never imports it.
"""
