"""The private calendar feed of a learner's plan (iCalendar, RFC 5545, via `icalendar`).

One event per week: the study block on the learner's first study day at their study time,
in their time zone, lasting one session's share of the week's hours. Events keep their
UID (the plan's feed id and the week), and SEQUENCE rises whenever any event changed, so
calendar apps update them instead of adding copies. An event holds the week's topic
titles and hours and a link to the plan: no email, notes or anything else.

A zone's VTIMEZONE depends on nothing but the zone, so each process builds it once (per
zone and year) and puts the same component in every feed that needs it.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import icalendar
from django.utils import timezone

from careers.plan import Plan
from common.timezones import learner_zone

FEED_WEEKS = 26
PRODID = "-//GenAI Pathways//Study plan//EN"


@dataclass(frozen=True)
class StudyBlock:
    uid: str
    start: datetime
    duration: timedelta
    summary: str
    description: str


def study_blocks(user, plan: Plan, *, feed_uid, plan_url: str) -> list[StudyBlock]:
    """The feed's events for the plan's weeks that hold something to study or done."""
    zone = learner_zone(user)
    days = user.study_weekdays or [5]
    blocks = []
    for week in plan.weeks:
        if not week.items and not week.reviews_due:
            continue
        session_hours = max(1, math.ceil(week.hours / len(days)))
        start = datetime.combine(week.start + timedelta(days=days[0]), user.study_time)
        lines = [
            f"• {item.topic.title} ({item.hours} h{', done' if item.is_done else ''})"
            for item in week.items
        ]
        if week.reviews_due:
            lines.insert(
                0,
                f"• {week.reviews_due} review{'s' if week.reviews_due > 1 else ''} due "
                f"(about {week.review_minutes} min)",
            )
        blocks.append(
            StudyBlock(
                uid=f"{feed_uid}-{week.start:%Y%m%d}@genai-pathways",
                start=start.replace(tzinfo=zone),
                duration=timedelta(hours=session_hours),
                summary=f"Study: {block_title(week)} ({week.hours} h this week)",
                description="\n".join(
                    [
                        f"Week of {week.start:%-d %b %Y}: {week.hours} h "
                        f"over {len(days)} session{'s' if len(days) > 1 else ''}.",
                        *lines,
                        "",
                        f"Your plan: {plan_url}",
                    ]
                ),
            )
        )
    return blocks


def block_title(week) -> str:
    """The week's first topic and how many more, or its reviews when it has no topic."""
    if not week.items:
        return f"{week.reviews_due} review{'s' if week.reviews_due > 1 else ''}"
    more = len(week.items) - 1
    return week.items[0].topic.title + (f" and {more} more" if more else "")


def blocks_fingerprint(blocks: list[StudyBlock]) -> str:
    text = "\n".join(
        f"{b.uid}|{b.start.isoformat()}|{b.duration}|{b.summary}|{b.description}" for b in blocks
    )
    return hashlib.sha256(text.encode()).hexdigest()


def feed_ical(blocks: list[StudyBlock], *, sequence: int, stamp: datetime | None) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "GenAI Pathways study plan")
    stamp = stamp or timezone.now()
    for block in blocks:
        event = icalendar.Event()
        event.add("uid", block.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", block.start)
        event.add("duration", block.duration)
        event.add("summary", block.summary)
        event.add("description", block.description)
        calendar.add_component(event)
    if blocks:
        first = blocks[0].start.date()
        year = (first - timedelta(days=first.weekday())).year  # the same for a whole week
        for tzid in sorted(calendar.get_missing_tzids()):
            component = vtimezone(tzid, year)
            if component is not None:
                calendar.subcomponents.insert(0, component)
    return calendar.to_ical()


@lru_cache(maxsize=128)
def vtimezone(tzid: str, year: int) -> icalendar.Timezone | None:
    """The zone's VTIMEZONE with its transitions from the year before `year` to three
    years after (the feed's half year, whenever in the year it starts); None for a zone
    icalendar does not know. Built once per process and shared: it is only ever read."""
    try:
        return icalendar.Timezone.from_tzid(
            tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 3, 12, 31)
        )
    except ValueError:
        return None
