"""Error codes of society orders and rate cards (seed 001 0.3 and 2.3.1)."""

from core.errors import ErrorCodeEnum


class OrderErrorCode(ErrorCodeEnum):
    RATE_CARD_NOT_FOUND = ("RATE_CARD_NOT_FOUND", 404)
    RATE_CARD_EXISTS = ("RATE_CARD_EXISTS", 409)
    SERVICES_ALREADY_EXIST = ("SERVICES_ALREADY_EXIST", 400)  # as seed 001 2.3.1 writes it
    ORDER_NOT_FOUND = ("ORDER_NOT_FOUND", 404)
