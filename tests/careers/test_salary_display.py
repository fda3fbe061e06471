"""Salaries are shown no more precisely than the source gives them."""

import pytest
from django.urls import reverse

from tests.careers.factories import RoleFactory

pytestmark = pytest.mark.django_db

LEVEL_NOTE = "Level band, not a figure for this title: entry-level AI roles start around $80k."
ROLE_NOTE = "The seeds report averages of roughly $100k–$120k for this role."


def test_an_open_ended_range_shows_as_a_floor_with_a_plus(client):
    role = RoleFactory(salary_min=80_000, salary_max=None, salary_note=ROLE_NOTE)
    detail = client.get(reverse("careers:role-detail", args=[role.slug])).content.decode()
    listing = client.get(reverse("careers:role-list")).content.decode()
    for page in (detail, listing):
        assert "$80,000+ a year (USD)" in page
        assert "$80,000–" not in page


def test_a_closed_range_still_shows_both_ends(client):
    role = RoleFactory(salary_min=100_000, salary_max=120_000, salary_note=ROLE_NOTE)
    page = client.get(reverse("careers:role-detail", args=[role.slug])).content.decode()
    assert "$100,000–$120,000 a year (USD)" in page


def test_a_level_band_is_marked_as_such_on_the_card_and_the_role_page(client):
    role = RoleFactory(salary_min=80_000, salary_max=None, salary_note=LEVEL_NOTE)
    detail = client.get(reverse("careers:role-detail", args=[role.slug])).content.decode()
    listing = client.get(reverse("careers:role-list")).content.decode()
    for page in (detail, listing):
        assert ">level band</span>" in page
    assert LEVEL_NOTE in detail


def test_a_role_figure_carries_no_level_band_marker(client):
    role = RoleFactory(salary_min=80_000, salary_max=None, salary_note=ROLE_NOTE)
    detail = client.get(reverse("careers:role-detail", args=[role.slug])).content.decode()
    assert "level band" not in detail
