"""OpenAPI: our JWT authentication is simplejwt's bearer scheme."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class PlatformJWTScheme(SimpleJWTScheme):
    target_class = "accounts.authentication.PlatformJWTAuthentication"
    name = "jwtAuth"
