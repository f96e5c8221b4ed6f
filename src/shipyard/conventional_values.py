"""Values for the settings FastAPI's project templates read with no default, where the name says what the value is.

tiangolo's full-stack template and the many projects grown from it declare `PROJECT_NAME: str`, `API_V1_STR: str`,
`ALGORITHM: str` and `ACCESS_TOKEN_EXPIRE_MINUTES: int` in a pydantic settings class and keep the values in a .env
the repository leaves out: pydantic then refuses the import ("4 validation errors for Settings"). Each name says
what its value is, and the template's own value is the one a reader copies: a display name (the app's), the path
prefix the name spells (`API_V1_STR` -> `/api/v1`: FastAPI asserts a router prefix and an openapi_url start with
"/"), HMAC's HS256 for a JWT signed with the throwaway key given as its secret, a 30-minute token lifetime (FastAPI's
security tutorial). Nothing here is a credential, or a choice the app's data depends on; each value is said.

An error tracker's DSN (SENTRY_DSN: `sentry_sdk.init(dsn=settings.sentry_dsn)` at import) required the same way gets
the empty string, the Sentry SDKs' own "not configured" value: the SDK starts and sends nothing (a placeholder
would be refused as a malformed DSN), until the user sets the real one.
"""

from __future__ import annotations

import re

# a display name: the app's own name
_TITLE = re.compile(r"(?:PROJECT|APP|APPLICATION|SERVICE|SITE)_(?:NAME|TITLE)")
# a URL path prefix spelled by its name: API_V1_STR, API_PREFIX, API_V1_PREFIX, API_V2_PATH
_PREFIX = re.compile(r"(API(?:_V\d+)?)_(?:STR|PREFIX|PATH|ROOT)|(API)_PREFIX_(V\d+)")
# the algorithm a JWT is signed with: the secret given beside it is a shared key, which HMAC takes
_ALGORITHM = re.compile(r"(?:(?:JWT|TOKEN|ACCESS_TOKEN|AUTH)_)?(?:ALGORITHM|ALGO)|JWT_(?:ALG|SIGNING_ALGORITHM)")
# a token's lifetime in a unit its name gives
_LIFETIME = re.compile(r"(?:[A-Z0-9]+_)*(?:TOKEN|JWT|SESSION)_(?:[A-Z0-9]+_)*EXPIRES?_(?:IN_)?(MINUTES|SECONDS|HOURS|DAYS)")
# an error tracker's DSN: empty is the SDK's "disabled"
_TRACKER_DSN = re.compile(r"(?:[A-Z0-9]+_)*SENTRY(?:_[A-Z0-9]+)*_DSN|SENTRY_DSN")
_LIFETIMES = {"MINUTES": "30", "SECONDS": "1800", "HOURS": "1", "DAYS": "7"}
# a token's lifetime whose name gives no unit (ACCESS_EXPIRE_TIME, REFRESH_TOKEN_EXPIRE, JWT_EXPIRATION, OAuth's
# expires_in as ACCESS_TOKEN_EXPIRES_IN): the unit is the one the code's timedelta takes (detect/lifetime_unit.py),
# else minutes, as FastAPI's tutorial counts
_UNITLESS_LIFETIME = re.compile(r"(?:[A-Z0-9]+_)*(?:ACCESS|REFRESH|TOKEN|JWT)_(?:[A-Z0-9]+_)*"
                                r"(?:EXPIRE|EXPIRES|EXPIRY|EXPIRATION)(?:_IN)?(?:_(?:TIME|PERIOD|DURATION|DELTA))?")


def conventional_value(name: str, app_name: str, lifetime_unit: str | None = None) -> tuple[str, str] | None:
    """(value, why) for a setting named as FastAPI's templates name it, None for any other name. lifetime_unit:
    the unit the app's code counts lifetimes in ("minutes"), for a lifetime whose name gives none."""
    if _TITLE.fullmatch(name):
        return app_name, "the app's name, for its title"
    if match := _PREFIX.fullmatch(name):
        spelled = "/" + "/".join(p.lower() for p in "_".join(filter(None, match.groups())).split("_"))
        return spelled, "the path prefix its name spells"
    if _TRACKER_DSN.fullmatch(name):
        return "", "empty: the Sentry SDK's own \"not configured\", it starts and sends nothing until the real DSN is set"
    if _ALGORITHM.fullmatch(name):
        return "HS256", "HMAC, for a token signed with a shared secret key"
    if match := _LIFETIME.fullmatch(name):
        unit = match.group(1)
        return _LIFETIMES[unit], f"a token lifetime of {_LIFETIMES[unit]} {unit.lower()}"
    if _UNITLESS_LIFETIME.fullmatch(name):
        unit = (lifetime_unit or "minutes").upper()
        value = {**_LIFETIMES, "WEEKS": "1"}[unit]
        why = "the unit the code's timedelta takes" if lifetime_unit else "its name gives no unit: minutes assumed"
        return value, f"a token lifetime of {value} {unit.lower()} ({why})"
    return None
