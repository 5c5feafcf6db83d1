"""Payments endpoints by audience (DESIGN.md section 8): ``customer`` (orders, verify, my payments),
``gateway`` (the Razorpay webhook and the offline Checkout stand-in) and ``admin`` (the staff ones)."""
