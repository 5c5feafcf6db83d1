"""Bookings: checkout, bookings, promo codes, contact submissions (seed 000), the booking WebSocket (seed 002).

Built over several sessions; this one lays the tables, the promo-code rules,
booking numbers and the contact form. Checkout, the booking endpoints and the
payable adapter come next (see the issue note).
"""
