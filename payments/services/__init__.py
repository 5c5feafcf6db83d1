"""Every write of the payments layer: orders and captures, webhooks, refunds, cash, links, ledger, reconciliation."""
