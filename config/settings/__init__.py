"""Settings split by environment: base, development (the default), test, production."""
