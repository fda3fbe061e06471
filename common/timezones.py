"""Time zones: the names a learner may choose, and a learner's own zone and date.

Knows no app: it reads a `time_zone` attribute from whatever user it is given."""

from datetime import date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.utils import timezone


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA names offered in settings, sorted (no legacy aliases such as `posixrules`)."""
    return tuple(
        sorted(
            name
            for name in available_timezones()
            if "/" in name
            and not name.startswith(("posix/", "right/", "SystemV/", "US/"))
            or name == "UTC"
        )
    )


def zone(name: str) -> tzinfo:
    """The zone of that name, or the site's default when it is unknown."""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def learner_zone(user) -> tzinfo:
    """The learner's chosen zone; the site's for a visitor."""
    return zone(getattr(user, "time_zone", "") or "")


def learner_today(user, now: datetime | None = None) -> date:
    """The learner's date now (or at `now`)."""
    return timezone.localdate(now, timezone=learner_zone(user))
