"""The learning app's models, by what they hold (content, a learner's progress, checks)."""

from learning.models.checks import CheckAnswer, CheckAttempt, Question
from learning.models.content import (
    Level,
    Module,
    ModuleRedirect,
    ProjectIdea,
    Resource,
    Topic,
    TopicRedirect,
)
from learning.models.progress import PortfolioProject, TopicState, TopicStateChange

__all__ = [
    "CheckAnswer",
    "CheckAttempt",
    "Level",
    "Module",
    "ModuleRedirect",
    "PortfolioProject",
    "ProjectIdea",
    "Question",
    "Resource",
    "Topic",
    "TopicRedirect",
    "TopicState",
    "TopicStateChange",
]
