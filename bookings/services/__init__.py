"""Every write of the bookings app, one module per use case."""
