import pytest
from django.urls import reverse

from careers.models import Responsibility, Role, RoleRequirement
from tests.careers.factories import ResponsibilityFactory, RoleFactory, RoleRequirementFactory
from tests.learning.factories import ModuleFactory

pytestmark = pytest.mark.django_db


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def role():
    role = RoleFactory(title="Prompt Engineer", slug="prompt-engineer")
    ResponsibilityFactory(role=role, text="Design prompts and evaluate outputs.")
    RoleRequirementFactory(role=role, module=ModuleFactory(title="Prompt engineering"))
    return role


def role_form_data(role, **changes):
    """The role admin's POST data for `role`, keeping its inlines as they are."""
    data = {
        "title": role.title,
        "slug": role.slug,
        "summary": role.summary,
        "description": role.description,
        "focus": role.focus,
        "seniority": role.seniority,
        "order": role.order,
        "education": role.education,
        "salary_min": role.salary_min,
        "salary_max": role.salary_max,
        "salary_note": role.salary_note,
        "industries": '["Technology"]',
        "_save": "Save",
    }
    for prefix, rows, fields in [
        ("responsibilities", role.responsibilities.all(), ["text", "order"]),
        ("requirements", role.requirements.all(), ["module", "importance"]),
    ]:
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-role"] = role.pk
            for name in fields:
                data[f"{prefix}-{index}-{name}"] = getattr(row, f"{name}_id", getattr(row, name))
    return data | changes


@pytest.mark.parametrize("model", [Role, Responsibility, RoleRequirement])
def test_careers_admin_changelist_add_and_change_pages_render(admin_client, role, model):
    obj = model.objects.first()

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_role_change_page_shows_responsibilities_and_requirements(admin_client, role):
    response = admin_client.get(admin_url(Role, "change", role.pk))

    assert "Design prompts and evaluate outputs." in response.text
    assert "Prompt engineering" in response.text
    assert (
        role.get_absolute_url()
        in admin_client.get(
            reverse("admin:view_on_site", args=[response.context["content_type_id"], role.pk])
        ).url
    )


def test_role_search_finds_by_title(admin_client, role):
    RoleFactory(title="Data Scientist")

    response = admin_client.get(admin_url(Role, "changelist"), {"q": "prompt"})

    assert list(response.context["cl"].result_list) == [role]


def test_role_changelist_filters_by_focus(admin_client, role):
    RoleFactory(title="Researcher", focus=Role.Focus.RESEARCH)

    response = admin_client.get(admin_url(Role, "changelist"), {"focus__exact": "research"})

    assert [r.title for r in response.context["cl"].result_list] == ["Researcher"]


def test_requirement_changelist_filters_by_importance(admin_client, role):
    RoleRequirementFactory(role=role, importance=RoleRequirement.Importance.OPTIONAL)

    response = admin_client.get(
        admin_url(RoleRequirement, "changelist"), {"importance__exact": "optional"}
    )

    assert [r.importance for r in response.context["cl"].result_list] == ["optional"]


def test_role_edit_saves_title(admin_client, role):
    response = admin_client.post(
        admin_url(Role, "change", role.pk), role_form_data(role, title="Prompt Specialist")
    )

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.title == "Prompt Specialist"
    assert role.responsibilities.count() == 1
    assert role.requirements.count() == 1


def test_archive_and_restore_roles(admin_client, role):
    url = admin_url(Role, "changelist")

    admin_client.post(url, {"action": "archive_selected", "_selected_action": [role.pk]})
    role.refresh_from_db()
    archived = role.is_archived
    admin_client.post(url, {"action": "restore_selected", "_selected_action": [role.pk]})
    role.refresh_from_db()

    assert archived
    assert not role.is_archived


def test_role_can_be_deleted_and_learners_lose_only_their_target(admin_client, role, learner):
    learner.target_role = role
    learner.save()

    response = admin_client.post(admin_url(Role, "delete", role.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    learner.refresh_from_db()
    assert learner.target_role is None
