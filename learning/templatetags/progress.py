from django import template

from learning.models import TopicState
from learning.progress import UNDO_TAG

register = template.Library()

# What the segmented control shows where the full label would wrap on a phone; the full
# label stays the button's accessible name, and it contains the short one (WCAG 2.5.3).
SHORT_LABELS = {TopicState.State.SKIPPED: "Know it"}


@register.filter
def undo_of(message) -> dict | None:
    """The topic and state an Undo button on `message` restores, or None."""
    for tag in message.extra_tags.split():
        if tag.startswith(UNDO_TAG):
            slug, _, state = tag.removeprefix(UNDO_TAG).partition(":")
            if slug and state in TopicState.State.values:
                return {"topic": slug, "state": state}
    return None


@register.simple_tag
def topic_state_choices():
    """The states a learner can set on a topic, as (value, label, short label) triples."""
    return [
        (value, label, SHORT_LABELS.get(value, label)) for value, label in TopicState.State.choices
    ]
