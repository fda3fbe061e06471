"""The map of one module (learning/maps/): its topics and the prerequisites between them,
a learner's states in words, isolation, bad input, archived topics and a layout computed
once per content version."""

from unittest import mock

import pytest
from django.urls import reverse

from learning.maps import layout_build
from learning.services import topic_state_set
from tests.careers.test_maps import node_of, svg_of
from tests.learning.factories import ModuleFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_content():
    """basics <- prompts <- chains, and basics <- evaluation; `outside` (another module) is
    a prerequisite of prompts, which the module's map leaves out."""
    module = ModuleFactory(title="Prompt Engineering")
    outside = TopicFactory(title="Python syntax")
    basics = TopicFactory(module=module, title="Basics", order=1, hours=3)
    prompts = TopicFactory(
        module=module, title="Prompts", order=2, hours=4, prerequisites=[basics, outside]
    )
    chains = TopicFactory(
        module=module, title="Chains", order=3, hours=5, prerequisites=[prompts, basics]
    )
    evaluation = TopicFactory(
        module=module, title="Evaluation", order=4, hours=2, prerequisites=[basics]
    )
    return {
        "module": module,
        "outside": outside,
        "topics": {"basics": basics, "prompts": prompts, "chains": chains, "eval": evaluation},
    }


def map_url(module):
    return reverse("learning:module-map", args=[module.slug])


def test_the_module_map_draws_its_topics_and_their_prerequisites(client, module_content):
    module = module_content["module"]
    topics = module_content["topics"]
    response = client.get(map_url(module))
    assert response.status_code == 200
    svg = svg_of(response)
    assert '<title id="map-svg-title">Map of the module Prompt Engineering</title>' in svg
    assert 'role="group"' in svg and 'aria-describedby="map-svg-desc"' in svg
    for topic in topics.values():
        assert f'id="map-node-{topic.slug}"' in svg
    assert f'id="map-node-{module_content["outside"].slug}"' not in svg
    # basics -> prompts -> chains and basics -> evaluation; basics -> chains is implied.
    assert svg.count("<path d=") == 3 + 1
    html = response.content.decode()
    assert "Step 3" in html and "Step 4" not in html
    assert map_url(module) in client.get(module.get_absolute_url()).content.decode()


def test_a_learner_sees_their_states_and_no_one_elses(
    client, learner, other_learner, module_content
):
    module = module_content["module"]
    topics = module_content["topics"]
    topic_state_set(user=learner, topic=topics["basics"], state="done")
    topic_state_set(user=learner, topic=topics["prompts"], state="learning")
    client.force_login(learner)
    response = client.get(map_url(module))
    svg = svg_of(response)
    assert "✓ Done" in node_of(svg, topics["basics"].slug)
    assert "◐ Learning" in node_of(svg, topics["prompts"].slug)
    # Next up within the module: what is not complete and needs only complete topics.
    assert "→ Next up" in node_of(svg, topics["prompts"].slug)
    assert "→ Next up" in node_of(svg, topics["eval"].slug)
    assert "Next up" not in node_of(svg, topics["chains"].slug)
    assert 'data-testid="map-module-percent">21%' in response.content.decode()  # 3 of 14 h
    client.force_login(other_learner)
    svg = svg_of(client.get(map_url(module)))
    assert "state-done" not in svg and "state-learning" not in svg


def test_the_state_changes_from_the_module_map(client, learner, module_content):
    module = module_content["module"]
    slug = module_content["topics"]["chains"].slug
    client.force_login(learner)
    response = client.post(map_url(module), {"topic": slug, "state": "skipped"})
    assert response.status_code == 302
    assert "✓ Known" in node_of(svg_of(client.get(response.url)), slug)
    response = client.post(
        map_url(module), {"topic": slug, "state": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.content.decode().lstrip().startswith('<div id="map-body"')
    assert "✓ Done" in node_of(svg_of(response), slug)


def test_unknown_module_is_404_and_an_empty_module_has_no_picture(client):
    assert client.get(reverse("learning:module-map", args=["no-such-module"])).status_code == 404
    empty = ModuleFactory()
    html = client.get(map_url(empty)).content.decode()
    assert "This module has no topics yet." in html and 'class="map-svg"' not in html


def test_an_archived_topic_leaves_the_module_map(client, module_content):
    module = module_content["module"]
    chains = module_content["topics"]["chains"]
    assert f'id="map-node-{chains.slug}"' in svg_of(client.get(map_url(module)))
    chains.is_archived = True
    chains.save()
    assert f'id="map-node-{chains.slug}"' not in svg_of(client.get(map_url(module)))


def test_the_module_layout_is_computed_once_per_content_version(client, learner, module_content):
    module = module_content["module"]
    with mock.patch("learning.maps.module.layout_build", wraps=layout_build) as laid_out:
        client.get(map_url(module))
        client.force_login(learner)
        client.get(map_url(module))
        assert laid_out.call_count == 1
        TopicFactory(module=module)
        client.get(map_url(module))
        assert laid_out.call_count == 2


def test_a_renamed_modules_old_map_address_leads_to_the_new_one(client, module_content):
    from learning.models import ModuleRedirect

    module = module_content["module"]
    ModuleRedirect.objects.create(old_slug="old-prompting", module=module)
    response = client.get(reverse("learning:module-map", args=["old-prompting"]))
    assert response.status_code == 301 and response.url == map_url(module)
