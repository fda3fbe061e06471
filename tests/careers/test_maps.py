"""The map of a role's path (careers/maps.py, learning/maps/): its drawing, accessible
names, the learner's states shown in words, isolation between learners, bad input, and a
layout computed once per content version."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from careers.maps import role_map
from learning.maps import layout as maps
from learning.maps import layout_build, transitive_reduction, wrap_title
from learning.services import topic_state_set
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.careers.test_path import path_content  # noqa: F401  (a fixture)
from tests.learning.factories import ModuleFactory, TopicFactory

pytestmark = pytest.mark.django_db


def map_url(role):
    return reverse("careers:role-map", args=[role.slug])


def svg_of(response) -> str:
    html = response.content.decode()
    start = html.index('<svg class="map-svg"')
    return html[start : html.index("</svg>", start) + len("</svg>")]


def node_of(svg: str, slug: str) -> str:
    start = svg.index(f'id="map-node-{slug}"')
    return svg[svg.rindex("<a ", 0, start) : svg.index("</a>", start)]


# The drawing


def test_transitive_reduction_leaves_out_implied_edges():
    # c needs b and a; b needs a: the edge a -> c is implied by a -> b -> c.
    order = [1, 2, 3]
    assert transitive_reduction(order, {1: [], 2: [1], 3: [1, 2]}) == {1: (), 2: (1,), 3: (2,)}


def test_each_topic_sits_below_everything_it_needs():
    order = list(range(1, 21))
    prerequisites = {pk: ([pk - 1] if pk % 4 else []) + ([1] if pk > 10 else []) for pk in order}
    prerequisites[1] = []
    layout = layout_build(order, {pk: f"Topic {pk}" for pk in order}, prerequisites)
    for pk, needs in prerequisites.items():
        for prerequisite in needs:
            assert layout.nodes[prerequisite].layer < layout.nodes[pk].layer
    assert max(len(layer) for layer in layout.layers) <= maps.MAX_PER_LAYER
    # Nodes of one layer never overlap.
    for layer in layout.layers:
        xs = sorted(layout.nodes[pk].x for pk in layer)
        assert all(b - a >= maps.NODE_WIDTH for a, b in zip(xs, xs[1:], strict=False))


def test_long_titles_are_wrapped_whole_and_grow_their_node():
    title = "Function calling and structured outputs (JSON Schema, Pydantic, constrained decoding)"
    lines = wrap_title(title)
    assert " ".join(lines) == title and all(len(line) <= maps.TITLE_LINE_CHARS for line in lines)
    assert wrap_title("Vectors") == ("Vectors",)
    layout = layout_build([1, 2], {1: title, 2: "Vectors"}, {1: [], 2: []})
    assert layout.nodes[1].height > layout.nodes[2].height == maps.NODE_HEIGHT


# The page


def test_the_map_draws_the_path_with_accessible_names(client, path_content):  # noqa: F811
    role = path_content["role"]
    response = client.get(map_url(role))
    assert response.status_code == 200
    svg = svg_of(response)
    assert 'role="group"' in svg
    assert 'aria-labelledby="map-svg-title"' in svg and 'aria-describedby="map-svg-desc"' in svg
    assert '<title id="map-svg-title">Map of the path to Prompt Engineer</title>' in svg
    # Every topic is a link to its page, in path order (the keyboard's order).
    links = re.findall(r'<a href="([^"]+)" id="map-node-([^"]+)"', svg)
    topics = path_content["topics"]
    expected = ["vectors", "matrices", "basics", "models", "deployment", "packaging"]
    assert [slug for _, slug in links] == [topics[name].slug for name in expected]
    assert links[0][0] == topics["vectors"].get_absolute_url()
    # Core, groundwork and recommended look different, and say so in the accessible name.
    assert "kind-groundwork" in node_of(svg, topics["vectors"].slug)
    assert "kind-core" in node_of(svg, topics["models"].slug)
    assert 'aria-label="Packaging 3 h, Python, recommended, optional"' in svg
    # Edges: vectors -> matrices -> models -> deployment, basics -> models.
    assert svg.count("<path d=") == 4 + 1  # four edges and the arrow's shape
    html = response.content.decode()
    assert "Step 1" in html and "The path step by step" in html
    assert "Sign up to see your progress on this map" in html


def test_a_learner_sees_their_states_in_words_and_next_up(client, learner, path_content):  # noqa: F811
    topics = path_content["topics"]
    topic_state_set(user=learner, topic=topics["vectors"], state="done")
    topic_state_set(user=learner, topic=topics["basics"], state="skipped")
    topic_state_set(user=learner, topic=topics["deployment"], state="learning")
    client.force_login(learner)
    response = client.get(map_url(path_content["role"]))
    svg = svg_of(response)
    assert "✓ Done" in node_of(svg, topics["vectors"].slug)
    assert "state-done" in node_of(svg, topics["vectors"].slug)
    assert "✓ Known" in node_of(svg, topics["basics"].slug)
    assert "◐ Learning" in node_of(svg, topics["deployment"].slug)
    assert "→ Next up" in node_of(svg, topics["matrices"].slug)
    # The accessible name says what the node shows, in its order, then the rest.
    assert 'aria-label="Matrices 7 h · → Next up, Maths, groundwork, not started"' in svg
    assert 'aria-label="Vectors 5 h · ✓ Done, Maths, groundwork"' in svg
    html = response.content.decode()
    # 9 of the path's 32 h (vectors 5, matrices 7, basics 4, models 10, deployment 6)
    # are done or known.
    assert 'data-testid="map-readiness">28%' in html
    assert "9 of 32 h of the path done" in html


def test_one_learners_states_never_colour_anothers_map(
    client,
    learner,
    other_learner,
    path_content,  # noqa: F811
):
    topics = path_content["topics"]
    topic_state_set(user=learner, topic=topics["vectors"], state="done")
    client.force_login(learner)
    assert "✓ Done" in svg_of(client.get(map_url(path_content["role"])))
    client.force_login(other_learner)
    svg = svg_of(client.get(map_url(path_content["role"])))
    assert "✓ Done" not in svg and "state-done" not in svg
    client.logout()
    svg = svg_of(client.get(map_url(path_content["role"])))
    assert "state-done" not in svg and "Next up" not in svg


def test_the_state_changes_from_the_map_without_scripts(client, learner, path_content):  # noqa: F811
    topics = path_content["topics"]
    role = path_content["role"]
    client.force_login(learner)
    page = client.get(map_url(role) + f"?topic={topics['vectors'].slug}")
    assert f'id="map-state-{topics["vectors"].slug}-done"' in page.content.decode()
    response = client.post(map_url(role), {"topic": topics["vectors"].slug, "state": "done"})
    assert response.status_code == 302
    assert response.url == map_url(role) + f"?topic={topics['vectors'].slug}#map-panel"
    svg = svg_of(client.get(response.url))
    assert "✓ Done" in node_of(svg, topics["vectors"].slug)


def test_htmx_opens_the_panel_and_redraws_the_map(client, learner, path_content):  # noqa: F811
    topics = path_content["topics"]
    role = path_content["role"]
    client.force_login(learner)
    panel = client.get(map_url(role) + f"?topic={topics['models'].slug}", HTTP_HX_REQUEST="true")
    assert panel.content.decode().lstrip().startswith('<section id="map-panel"')
    assert "<html" not in panel.content.decode()
    # A check is one step away from the map (issue 16).
    check_url = reverse(
        "learning:topic-check", args=[topics["models"].module.slug, topics["models"].slug]
    )
    assert f'href="{check_url}"' in panel.content.decode()
    response = client.post(
        map_url(role), {"topic": topics["vectors"].slug, "state": "done"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="map-body"')
    assert "✓ Done" in node_of(svg_of(response), topics["vectors"].slug)
    assert 'id="tick-status" data-hx-swap-oob="innerHTML"' in html
    assert "<html" not in html


def test_a_visitor_posting_a_state_is_sent_to_sign_in(client, path_content):  # noqa: F811
    role = path_content["role"]
    slug = path_content["topics"]["vectors"].slug
    response = client.post(map_url(role), {"topic": slug, "state": "done"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    # From htmx, the browser is told to go there, back to this topic on the map after.
    response = client.post(map_url(role), {"topic": slug, "state": "done"}, HTTP_HX_REQUEST="true")
    target = response.headers["HX-Redirect"]
    assert target.startswith(reverse("accounts:login")) and f"topic%3D{slug}" in target


def test_unknown_role_topic_and_state_are_refused(client, learner, path_content):  # noqa: F811
    assert client.get(reverse("careers:role-map", args=["no-such-role"])).status_code == 404
    client.force_login(learner)
    url = map_url(path_content["role"])
    assert client.post(url, {"topic": "no-such-topic", "state": "done"}).status_code == 404
    slug = path_content["topics"]["vectors"].slug
    bad = client.post(url, {"topic": slug, "state": "mastered"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400


def test_a_role_without_core_modules_shows_an_empty_state(client):
    role = RoleFactory()
    RoleRequirementFactory(role=role, module=ModuleFactory(), importance="recommended")
    response = client.get(map_url(role))
    assert response.status_code == 200
    html = response.content.decode()
    assert "has no topics yet" in html and "<svg" not in html.split("<main", 1)[1]


def test_an_archived_topic_leaves_the_map_at_once(client, path_content):  # noqa: F811
    role = path_content["role"]
    topics = path_content["topics"]
    assert f'id="map-node-{topics["deployment"].slug}"' in svg_of(client.get(map_url(role)))
    topics["deployment"].is_archived = True
    topics["deployment"].save()
    assert f'id="map-node-{topics["deployment"].slug}"' not in svg_of(client.get(map_url(role)))


def test_a_content_change_shows_the_new_map_at_once(client, path_content):  # noqa: F811
    role = path_content["role"]
    core = path_content["modules"]["core"]
    client.get(map_url(role))
    added = TopicFactory(module=core, title="Monitoring", order=3)
    assert f'id="map-node-{added.slug}"' in svg_of(client.get(map_url(role)))


def test_the_layout_is_computed_once_per_content_version(client, path_content):  # noqa: F811
    role = path_content["role"]
    with mock.patch("careers.maps.layout_build", wraps=layout_build) as laid_out:
        client.get(map_url(role))
        client.get(map_url(role) + "?topic=x")  # another page, the same layout
        role_map(role)
        assert laid_out.call_count == 1
        TopicFactory(module=path_content["modules"]["core"])
        client.get(map_url(role))
        assert laid_out.call_count == 2


def test_role_page_cards_and_dashboard_link_to_the_map(client, learner, path_content):  # noqa: F811
    role = path_content["role"]
    url = map_url(role)
    assert url in client.get(role.get_absolute_url()).content.decode()
    assert url in client.get(reverse("careers:role-list")).content.decode()
    learner.target_role = role
    learner.save()
    client.force_login(learner)
    assert url in client.get(reverse("careers:dashboard")).content.decode()


def test_the_maps_next_up_is_the_dashboards(client, learner, path_content):  # noqa: F811
    from careers.readiness import next_up

    topics = path_content["topics"]
    role = path_content["role"]
    topic_state_set(user=learner, topic=topics["vectors"], state="done")
    topic_state_set(user=learner, topic=topics["basics"], state="learning")
    client.force_login(learner)
    svg = svg_of(client.get(map_url(role)))
    marked = re.findall(r'id="map-node-([^"]+)" class="[^"]*is-next', svg)
    assert marked == [topic.slug for topic in next_up(learner, role)]


def test_a_verified_topic_says_so_on_the_map_and_a_claim_does_not(client, learner, path_content):  # noqa: F811
    from django.utils import timezone

    topics = path_content["topics"]
    topic_state_set(user=learner, topic=topics["vectors"], state="done", verified_at=timezone.now())
    topic_state_set(user=learner, topic=topics["basics"], state="skipped")
    client.force_login(learner)
    svg = svg_of(client.get(map_url(path_content["role"])))
    assert "✓ Done, verified" in node_of(svg, topics["vectors"].slug)
    assert "✓ Known" in node_of(svg, topics["basics"].slug)
    assert "verified" not in node_of(svg, topics["basics"].slug)
