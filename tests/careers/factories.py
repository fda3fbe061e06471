import factory
from factory.django import DjangoModelFactory

from careers.models import Responsibility, Role, RoleRequirement


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    title = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    summary = factory.Faker("sentence")
    description = factory.Faker("paragraph")
    focus = Role.Focus.ENGINEERING
    seniority = Role.Seniority.ENTRY
    order = factory.Sequence(lambda n: n)
    salary_min = 80_000
    salary_max = 100_000
    industries = factory.LazyFunction(lambda: ["Technology"])


class ResponsibilityFactory(DjangoModelFactory):
    class Meta:
        model = Responsibility

    role = factory.SubFactory(RoleFactory)
    text = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class RoleRequirementFactory(DjangoModelFactory):
    class Meta:
        model = RoleRequirement

    role = factory.SubFactory(RoleFactory)
    module = factory.SubFactory("tests.learning.factories.ModuleFactory")
    importance = RoleRequirement.Importance.CORE
