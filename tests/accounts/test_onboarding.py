"""A start that carries the visitor's intent through sign-up or sign-in, the short
onboarding after sign-up, and a first dashboard that says nothing wrong for the learner."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import User
from learning.models import TopicState
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.test_auth import message_texts, signup_data
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import ModuleFactory, TopicFactory, TopicStateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def role():
    role = RoleFactory(title="Machine Learning Engineer", slug="machine-learning-engineer")
    for order in range(2):
        module = ModuleFactory(title=f"Core {order}", order=order)
        RoleRequirementFactory(role=role, module=module)
        for index in range(3):
            TopicFactory(module=module, order=index, hours=5, title=f"Core {order} topic {index}")
    return role


def sign_up_and_sign_in(client, **extra):
    """Sign up (which answers every address alike), then sign in as the sign-up asks,
    with what it carried along (the next page and the intent)."""
    response = client.post(reverse("accounts:signup"), {**signup_data(), **extra})
    data = {"username": signup_data()["email"], "password": signup_data()["password1"]}
    return client.post(response.url, data)


# The intent


def test_make_this_my_target_leads_to_a_sign_up_that_says_what_it_will_save(client, role):
    response = client.post(reverse("accounts:target-role"), {"role": role.slug})
    html = client.get(response.url).content.decode()
    assert "Create a free account to save Machine Learning Engineer as your target." in html
    assert 'name="intent" value="target:machine-learning-engineer"' in html
    # Sign-in is one link away and carries the intent too.
    sign_in = reverse("accounts:login") + "?next=/dashboard/"
    assert f'{sign_in}&amp;intent=target%3Amachine-learning-engineer">Sign in</a>' in html


def test_sign_up_with_an_intent_does_it_then_starts_the_onboarding(client, role):
    response = sign_up_and_sign_in(
        client, intent=f"target:{role.slug}", next=role.get_absolute_url()
    )
    user = User.objects.get()
    assert user.target_role == role
    assert "Your target role is now Machine Learning Engineer." in message_texts(response)
    location = urlsplit(response.url)
    assert location.path == reverse("accounts:onboarding-role")
    assert parse_qs(location.query)["next"] == [role.get_absolute_url()]


def test_a_tick_intent_is_saved_by_sign_up(client):
    topic = TopicFactory(title="Tokenization")
    html = client.get(
        reverse("accounts:signup"), {"intent": f"topic:{topic.slug}:done"}
    ).content.decode()
    assert "Create a free account to mark “Tokenization” as done." in html
    sign_up_and_sign_in(client, intent=f"topic:{topic.slug}:done")
    assert TopicState.objects.get(topic=topic).state == "done"


def test_sign_in_with_an_intent_does_it(client, role):
    user = UserFactory(email="ada@example.com")
    html = client.get(reverse("accounts:login"), {"intent": f"target:{role.slug}"}).content
    assert "Sign in to save Machine Learning Engineer as your target." in html.decode()
    client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": DEFAULT_PASSWORD, "intent": f"target:{role.slug}"},
    )
    user.refresh_from_db()
    assert user.target_role == role


@pytest.mark.parametrize(
    "intent", ["", "target:no-such-role", "topic:nope:done", "topic:x", "role:y", "target:"]
)
def test_an_intent_that_names_nothing_is_ignored(client, intent):
    topic = TopicFactory(slug="x")
    html = client.get(reverse("accounts:signup"), {"intent": intent}).content.decode()
    assert "Create a free account to" not in html
    response = client.post(reverse("accounts:signup"), {**signup_data(), "intent": intent})
    assert response.status_code == 302
    assert User.objects.get().target_role is None
    assert not TopicState.objects.filter(topic=topic).exists()


# The onboarding


def test_onboarding_confirms_the_role_sets_the_pace_and_marks_what_is_known(client, role):
    sign_up_and_sign_in(client, intent=f"target:{role.slug}")
    user = User.objects.get()
    assert not user.pace_chosen

    step = client.get(reverse("accounts:onboarding-role")).content.decode()
    assert "step 1 of 3" in step and "checked" in step  # the intent's role is preselected
    response = client.post(reverse("accounts:onboarding-role"), {"role": role.pk})
    assert response.url == reverse("accounts:onboarding-pace")

    response = client.post(reverse("accounts:onboarding-pace"), {"weekly_hours": "10"})
    assert response.url == reverse("accounts:onboarding-known", args=[1])
    user.refresh_from_db()
    assert (user.weekly_hours, user.pace_chosen) == (10, True)

    first, second = role.requirements.order_by("module__order")
    topics = list(first.module.topics.order_by("order"))
    TopicStateFactory(user=user, topic=topics[2], state="done")
    step = client.get(reverse("accounts:onboarding-known", args=[1])).content.decode()
    assert "Core 0" in step and topics[0].title in step
    assert "Done already: Core 0 topic 2." in step
    response = client.post(
        reverse("accounts:onboarding-known", args=[1]), {"topics": [topics[0].pk]}
    )
    assert response.url == reverse("accounts:onboarding-known", args=[2])
    states = dict(TopicState.objects.filter(user=user).values_list("topic__title", "state"))
    assert states == {"Core 0 topic 0": "skipped", "Core 0 topic 2": "done"}

    # Going back and unticking takes "already know it" back; done stays done.
    client.post(reverse("accounts:onboarding-known", args=[1]), {"topics": []})
    states = dict(TopicState.objects.filter(user=user).values_list("topic__title", "state"))
    assert states == {"Core 0 topic 0": "not_started", "Core 0 topic 2": "done"}

    response = client.post(reverse("accounts:onboarding-known", args=[2]), {}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("careers:dashboard")
    assert "You are set up. Here is where you stand." in response.content.decode()


def test_every_step_can_be_skipped(client, role):
    sign_up_and_sign_in(client, next="/learn/")
    step = client.get(reverse("accounts:onboarding-role") + "?next=/learn/").content.decode()
    assert 'href="/accounts/welcome/pace/?next=%2Flearn%2F">Skip this step' in step
    assert 'href="/learn/">Skip the rest' in step
    # Without a target there is nothing to ask in step 3: on to where the learner was going.
    response = client.get(reverse("accounts:onboarding-known", args=[1]) + "?next=/learn/")
    assert response.url == "/learn/"
    assert User.objects.get().pace_chosen is False


def test_a_step_posted_empty_says_what_to_do(client, role):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:onboarding-pace"), {})
    assert response.status_code == 400
    assert "Choose how many hours a week, or skip this step." in response.content.decode()


# The first dashboard


def test_first_dashboard_gives_no_date_from_a_pace_never_chosen(client, role):
    user = UserFactory(target_role=role, pace_chosen=False)
    client.force_login(user)
    html = client.get(reverse("careers:dashboard")).content.decode()
    assert "could be ready by" not in html
    assert "to see when you could be ready" in html
    assert "Everyone starts at 0%" in html
    user.pace_chosen = True
    user.save()
    assert "could be ready by" in client.get(reverse("careers:dashboard")).content.decode()


def test_everyone_starts_at_zero_only_for_a_learner_with_nothing_done(client, role):
    user = UserFactory(target_role=role)
    elsewhere = TopicFactory(hours=33)
    TopicStateFactory(user=user, topic=elsewhere, state="done")
    client.force_login(user)
    html = client.get(reverse("careers:dashboard")).content.decode()
    assert "Everyone starts at 0%" not in html
    assert "Your 33 h done so far are outside the path to Machine Learning Engineer" in html


def test_saving_settings_is_choosing_a_pace(client):
    user = UserFactory(pace_chosen=False)
    client.force_login(user)
    client.post(
        reverse("accounts:settings"),
        {
            "weekly_hours": "7",
            "display_name": "Ada",
            "time_zone": "UTC",
            "study_days": ["5"],
            "study_time": "18:00",
        },
    )
    user.refresh_from_db()
    assert (user.weekly_hours, user.pace_chosen) == (7, True)
