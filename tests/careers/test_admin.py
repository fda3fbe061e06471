import pytest
from django.urls import reverse

from careers.content_pack import content_pack_load
from careers.content_pack.report import RoleFigures, content_report
from careers.models import ContentVersion, Responsibility, Role, RoleRequirement
from tests.accounts.factories import UserFactory
from tests.careers.factories import ResponsibilityFactory, RoleFactory, RoleRequirementFactory
from tests.careers.test_content_pack import SMALL
from tests.conftest import stored_page_queries
from tests.learning.factories import ModuleFactory
from tests.shipped_pack import SHIPPED_PACK

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


# The editors' content report


@pytest.fixture
def small_pack():
    content_pack_load(path=SMALL)


REPORT_URL = "admin:careers_contentversion_report"


def test_content_report_page_shows_the_figures_per_role_and_for_the_pack(admin_client, small_pack):
    RoleRequirement.objects.filter(
        role__slug="ai-researcher", module__slug="python-basics"
    ).delete()

    html = admin_client.get(reverse(REPORT_URL)).text

    rows = content_report()
    assert [row.role for row in rows] == ["ml-engineer", "ai-researcher"]
    for row in rows:
        cells = [getattr(row, name) for name in RoleFigures.COLUMNS]
        line = f'<th scope="row">{cells[0]}</th>' + "".join(f"<td>{v}</td>" for v in cells[1:])
        assert line in html
    assert rows[1].leaks == 1  # the path reaches python-basics, no longer listed
    assert '<th scope="row">Without a resource</th><td>2</td>' in html
    assert '<th scope="row">Topics</th><td>4</td>' in html
    assert "0 questions; 4 topics under their minimum." in html
    assert "python-syntax (0), python-packages (0)" in html


def test_content_version_list_links_to_the_report(admin_client, small_pack):
    html = admin_client.get(admin_url(ContentVersion, "changelist")).text

    assert f'<a href="{reverse(REPORT_URL)}">Content report</a>' in html


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_content_report_sends_anyone_but_staff_to_the_admin_sign_in(client, learner, who):
    if who == "learner":
        client.force_login(learner)
    url = reverse(REPORT_URL)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_content_report_needs_permission_to_view_content_versions(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse(REPORT_URL)).status_code == 403


def test_content_versions_are_read_only_in_the_admin(admin_client, small_pack):
    version = ContentVersion.objects.get()

    assert admin_client.get(admin_url(ContentVersion, "add")).status_code == 403
    response = admin_client.post(admin_url(ContentVersion, "change", version.pk), {"number": 9})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.number == 1


@pytest.mark.parametrize("pack", [SMALL, SHIPPED_PACK], ids=["small", "shipped"])
def test_content_report_page_query_count(admin_client, django_assert_num_queries, pack):
    content_pack_load(path=pack)
    admin_client.get(reverse("admin:index"))  # the session is stored

    # user, and session unless the session store reads it from the cache (as a stored page
    # costs); then the report: topics, prerequisites, resources, requirements, roles, and
    # the roles' paths (the catalogue's 4 and the paths' 2 on a fresh content version);
    # the pack's totals: topics, their resources, resource URLs; the question bank
    with django_assert_num_queries(stored_page_queries() + 15):
        assert admin_client.get(reverse(REPORT_URL)).status_code == 200
