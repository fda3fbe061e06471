"""Writes for careers: the learner's commitment to a ready-by date and their private
calendar feed (its token and the SEQUENCE that makes calendar apps update events)."""

import hashlib
import secrets
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from careers.models import StudyPlan


def feed_token_hash(token: str) -> str:
    """What is stored and looked up for a feed token: it never sits in the database."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def study_plan_get(*, user) -> StudyPlan:
    """The learner's plan row, made on first use."""
    study_plan, _ = StudyPlan.objects.get_or_create(user=user)
    return study_plan


def plan_commit(*, user, ready_on: date) -> StudyPlan:
    """Commit the learner to being ready by `ready_on` (replacing an earlier commitment)."""
    with transaction.atomic():
        study_plan = study_plan_get(user=user)
        study_plan.committed_ready_on = ready_on
        study_plan.committed_at = timezone.now()
        study_plan.save(update_fields=["committed_ready_on", "committed_at"])
    return study_plan


def feed_token_create(*, user) -> str:
    """A new private feed address for the learner, replacing any earlier one (which stops
    working at once). Returns the token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        study_plan = study_plan_get(user=user)
        study_plan.feed_token_hash = feed_token_hash(token)
        study_plan.save(update_fields=["feed_token_hash"])
    return token


def feed_token_revoke(*, user) -> bool:
    """Turn the learner's feed off; False when there was none."""
    return bool(
        StudyPlan.objects.filter(user=user, feed_token_hash__isnull=False).update(
            feed_token_hash=None
        )
    )


def feed_sequence_sync(*, study_plan: StudyPlan, fingerprint: str) -> StudyPlan:
    """Raise the feed's SEQUENCE when its events changed since the last read (one UPDATE,
    none when unchanged). Two reads racing bump it at most once each, never down."""
    if study_plan.feed_fingerprint == fingerprint:
        return study_plan
    now = timezone.now()
    StudyPlan.objects.filter(pk=study_plan.pk).exclude(feed_fingerprint=fingerprint).update(
        feed_sequence=F("feed_sequence") + 1, feed_fingerprint=fingerprint, feed_changed_at=now
    )
    study_plan.refresh_from_db(fields=["feed_sequence", "feed_fingerprint", "feed_changed_at"])
    return study_plan
