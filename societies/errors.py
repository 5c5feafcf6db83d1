"""Error codes of societies: seed 001 table 0.3's society codes, 2.3.1's VENDOR_NOT_APPROVED, and our
INVALID_APPROVAL_STATUS for a decision on what is no longer pending (the seed is silent; 422 as every
illegal state change, DESIGN.md section 1)."""

from core.errors import ErrorCodeEnum


class SocietyErrorCode(ErrorCodeEnum):
    SOCIETY_NOT_FOUND = ("SOCIETY_NOT_FOUND", 404)
    SOCIETY_NOT_VERIFIED = ("SOCIETY_NOT_VERIFIED", 403)
    UNIT_NOT_FOUND = ("UNIT_NOT_FOUND", 404)
    NODE_NOT_FOUND = ("NODE_NOT_FOUND", 404)
    RESIDENT_NOT_FOUND = ("RESIDENT_NOT_FOUND", 404)
    VENDOR_NOT_FOUND = ("VENDOR_NOT_FOUND", 404)
    ASSIGNMENT_NOT_FOUND = ("ASSIGNMENT_NOT_FOUND", 404)
    VENDOR_NOT_APPROVED = ("VENDOR_NOT_APPROVED", 403)
    INVALID_APPROVAL_STATUS = ("INVALID_APPROVAL_STATUS", 422)
    ALREADY_REGISTERED = ("ALREADY_REGISTERED", 409)
