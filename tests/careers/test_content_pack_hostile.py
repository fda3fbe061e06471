"""The content loader refuses malformed packs with problems, never a crash or a write."""

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.content_pack import ContentPackError, content_pack_load
from careers.models import Role
from learning.models import Topic

pytestmark = pytest.mark.django_db

SMALL_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "content_packs" / "small"
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HYPOTHESIS
@given(
    target=st.sampled_from(["roles.yaml", "projects.yaml"]),
    garbage=st.one_of(
        st.text(max_size=400),
        st.sampled_from(
            [
                "roles: [",
                "roles:\n  - slug: x\n    hours: -5",
                "projects: !!python/object/apply:os.system ['true']",
                "\x00\x01",
                "roles:\n" + "  - {}\n" * 50,
                "- just\n- a\n- list",
            ]
        ),
    ),
)
def test_malformed_yaml_is_reported_and_nothing_is_written(tmp_path_factory, target, garbage):
    pack = tmp_path_factory.mktemp("pack")
    shutil.copytree(SMALL_PACK, pack, dirs_exist_ok=True)
    (pack / target).write_text(garbage, encoding="utf-8")
    with pytest.raises(ContentPackError) as error:
        content_pack_load(path=pack)
    assert error.value.problems
    assert target in str(error.value)
    assert not Role.objects.exists() and not Topic.objects.exists()


@HYPOTHESIS
@given(
    hours=st.one_of(st.integers(max_value=0), st.integers(min_value=10**6), st.text(max_size=5)),
    url=st.sampled_from(["javascript:alert(1)", "ftp://x.org/", "data:text/html,x", "//x.org"]),
)
def test_bad_hours_and_urls_are_refused(tmp_path_factory, hours, url):
    pack = tmp_path_factory.mktemp("pack")
    shutil.copytree(SMALL_PACK, pack, dirs_exist_ok=True)
    module_file = sorted((pack / "modules").glob("*.yaml"))[0]
    text = module_file.read_text(encoding="utf-8")
    text = text.replace("hours:", f"hours: {hours!r}  # was", 1)
    text = text.replace("url: https://", f"url: {url}#", 1)
    module_file.write_text(text, encoding="utf-8")
    with pytest.raises(ContentPackError):
        content_pack_load(path=pack)
    assert not Topic.objects.exists()
