from django import template

from learning.models import TopicState

register = template.Library()


@register.simple_tag
def topic_state_choices():
    """The states a learner can set on a topic, as (value, label) pairs."""
    return TopicState.State.choices
