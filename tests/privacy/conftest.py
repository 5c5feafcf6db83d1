"""The payments tests' payable (an invoice kept in memory), for paying through the real order endpoint."""

from tests.payments.conftest import invoices  # noqa: F401 - a fixture, found by pytest here
