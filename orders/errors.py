"""Error codes of society orders and rate cards (seed 001 0.3, 2.3.1, 6-8)."""

from core.errors import ErrorCodeEnum


class OrderErrorCode(ErrorCodeEnum):
    RATE_CARD_NOT_FOUND = ("RATE_CARD_NOT_FOUND", 404)
    RATE_CARD_EXISTS = ("RATE_CARD_EXISTS", 409)
    SERVICES_ALREADY_EXIST = ("SERVICES_ALREADY_EXIST", 400)  # as seed 001 2.3.1 writes it
    ORDER_NOT_FOUND = ("ORDER_NOT_FOUND", 404)
    INVALID_ORDER_STATUS = ("INVALID_ORDER_STATUS", 422)  # seed 8.1 says 400, its table and DESIGN 422 (C5)
    UNAUTHORIZED_VENDOR = ("UNAUTHORIZED_VENDOR", 403)
    DISPUTE_NOT_FOUND = ("DISPUTE_NOT_FOUND", 404)
    DISPUTE_ALREADY_OPEN = ("DISPUTE_ALREADY_OPEN", 409)
    INVALID_DISPUTE_STATUS = ("INVALID_DISPUTE_STATUS", 422)  # a resolved dispute resolved again
    ALREADY_RATED = ("ALREADY_RATED", 409)
