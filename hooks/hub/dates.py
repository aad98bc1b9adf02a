"""Dates as editors write them, parsed strictly: a date, or a datetime with a timezone.

A naive datetime means UTC. PyYAML turns `2024-02-30` into a bare ValueError with no line; here
the caller gets a message that says which part is impossible.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_DATE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[Tt ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$"
)


class DateError(ValueError):
    """The text is not a real date; the message says why."""


def parse_datetime(text: str) -> tuple[datetime, bool]:
    """Return an aware UTC datetime and whether a time of day was given."""
    match = _DATE.match(text.strip())
    if not match:
        raise DateError(f"`{text}` is not a date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not 1 <= month <= 12:
        raise DateError(f"`{text}` has month {month}; months run from 1 to 12")
    try:
        date(year, month, day)
    except ValueError:
        raise DateError(f"`{text}` is not a real date: {year}-{month:02d} has no day {day}") from None
    if match["H"] is None:
        return datetime(year, month, day, tzinfo=timezone.utc), False
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"`{text}` has an impossible time of day")
    micro = int((match["f"] or "0").ljust(6, "0"))
    value = datetime(year, month, day, hour, minute, second, micro,
                     tzinfo=_zone(match["tz"]))
    return value.astimezone(timezone.utc), True


def _zone(text: str | None) -> timezone:
    if text is None or text in "Zz":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"`{text}` is not a timezone offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def iso(value: datetime) -> str:
    """RFC 3339 in UTC with a `Z`, the one form every output uses."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def display_day(value: datetime) -> str:
    """`26 Aug 2024`: how pages show a day (the templates' `hub_date` filter writes the same)."""
    return f"{value.day} {value:%b %Y}"
