import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from learning.models import (
    Module,
    PortfolioProject,
    ProjectIdea,
    Question,
    Resource,
    Topic,
    TopicState,
)


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    category = Module.Category.TECHNICAL
    summary = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        skip_postgeneration_save = True

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = factory.Faker("paragraph")
    order = factory.Sequence(lambda n: n)
    hours = 4
    level = "beginner"

    @factory.post_generation
    def prerequisites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.prerequisites.set(extracted)


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    topic = factory.SubFactory(TopicFactory)
    title = factory.Faker("sentence", nb_words=4)
    url = factory.Sequence(lambda n: f"https://example.org/resource/{n}")
    kind = Resource.Kind.ARTICLE


class ProjectIdeaFactory(DjangoModelFactory):
    class Meta:
        model = ProjectIdea
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Project idea {n}")
    slug = factory.Sequence(lambda n: f"project-idea-{n}")
    summary = factory.Faker("sentence")
    description = factory.Faker("paragraph")
    difficulty = "intermediate"
    hours = 20

    @factory.post_generation
    def modules(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.modules.set(extracted)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.roles.set(extracted)


class TopicStateFactory(DjangoModelFactory):
    class Meta:
        model = TopicState

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    topic = factory.SubFactory(TopicFactory)
    state = TopicState.State.DONE
    state_changed_at = factory.LazyFunction(timezone.now)
    completed_at = factory.LazyAttribute(
        lambda o: o.state_changed_at if o.state in ("done", "skipped") else None
    )
    # As topic_state_set schedules it: a completed topic comes up for review 3 days on.
    review_due_on = factory.LazyAttribute(
        lambda o: (
            timezone.localdate(o.completed_at) + dt.timedelta(days=3) if o.completed_at else None
        )
    )


class PortfolioProjectFactory(DjangoModelFactory):
    class Meta:
        model = PortfolioProject
        skip_postgeneration_save = True

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    title = factory.Sequence(lambda n: f"My project {n}")
    description = factory.Faker("paragraph")
    status = PortfolioProject.Status.PLANNED

    @factory.post_generation
    def modules(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.modules.set(extracted)


class QuestionFactory(DjangoModelFactory):
    """A single-answer question whose first option is correct (the page shuffles them)."""

    class Meta:
        model = Question

    topic = factory.SubFactory(TopicFactory)
    slug = factory.Sequence(lambda n: f"question-{n}")
    prompt = factory.Sequence(lambda n: f"Which choice is right for case {n}?")
    options = factory.Sequence(
        lambda n: [
            {"text": f"Right {n}", "correct": True},
            {"text": f"Wrong A {n}", "correct": False},
            {"text": f"Wrong B {n}", "correct": False},
            {"text": f"Wrong C {n}", "correct": False},
        ]
    )
    explanation = factory.Sequence(lambda n: f"Because of reason {n}.")
    order = factory.Sequence(lambda n: n)
