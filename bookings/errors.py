"""Error codes of bookings and promo codes (seed 000 plus seed 004's booking codes)."""

from core.errors import ErrorCodeEnum


class BookingErrorCode(ErrorCodeEnum):
    BOOKING_NOT_FOUND = ("BOOKING_NOT_FOUND", 404)
    INVALID_BOOKING_STATUS = ("INVALID_BOOKING_STATUS", 422)
    SLOT_UNAVAILABLE = ("SLOT_UNAVAILABLE", 409)
    BOOKING_CONFLICT = ("BOOKING_CONFLICT", 409)
    CANCELLATION_NOT_ALLOWED = ("CANCELLATION_NOT_ALLOWED", 422)
    PREVIEW_EXPIRED = ("PREVIEW_EXPIRED", 422)
    # promo codes: validate answers valid=false with one of these; confirm refuses with it
    PROMO_NOT_FOUND = ("PROMO_NOT_FOUND", 422)
    PROMO_INACTIVE = ("PROMO_INACTIVE", 422)
    PROMO_EXPIRED = ("PROMO_EXPIRED", 422)
    PROMO_NOT_YET_VALID = ("PROMO_NOT_YET_VALID", 422)
    PROMO_MIN_ORDER_NOT_MET = ("PROMO_MIN_ORDER_NOT_MET", 422)
    PROMO_EXHAUSTED = ("PROMO_EXHAUSTED", 422)
    PROMO_ALREADY_USED = ("PROMO_ALREADY_USED", 422)
