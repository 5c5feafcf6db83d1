"""Catalog: categories and services (seed 000 table 3, seed 001 5.1), the cached catalog, and the pricing rule."""
