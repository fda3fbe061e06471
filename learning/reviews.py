"""Spaced review: when a completed topic comes back, in the learner's own days.

A topic marked done or already known first comes due three days later. Each review answered
correctly moves the next one further out along `REVIEW_INTERVALS`; a missed one brings the
topic back the next day, marked "needs review" (still done; its verification stale) until
it is answered correctly again or its check is passed.
"""

import datetime as dt

from common.timezones import learner_today

# Days until the next review after 0, 1, 2, ... correct reviews in a row (then 180 again).
REVIEW_INTERVALS = (3, 7, 21, 60, 180)
MISSED_REVIEW_DAYS = 1


def review_interval(step: int) -> int:
    return REVIEW_INTERVALS[min(step, len(REVIEW_INTERVALS) - 1)]


def next_review_on(user, *, step: int, now: dt.datetime | None = None) -> dt.date:
    """The day a topic with `step` correct reviews in a row comes back."""
    return learner_today(user, now) + dt.timedelta(days=review_interval(step))


def missed_review_on(user, *, now: dt.datetime | None = None) -> dt.date:
    return learner_today(user, now) + dt.timedelta(days=MISSED_REVIEW_DAYS)
