import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import TargetRoleChange, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.com")
    display_name = factory.Faker("name")
    # A learner who has set their weekly hours; a new sign-up starts without (see onboarding).
    pace_chosen = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class TargetRoleChangeFactory(DjangoModelFactory):
    class Meta:
        model = TargetRoleChange

    user = factory.SubFactory(UserFactory)
    role = factory.SubFactory("tests.careers.factories.RoleFactory")
    role_title = factory.LazyAttribute(lambda o: o.role.title if o.role else "")
    chosen_at = factory.LazyFunction(timezone.now)
