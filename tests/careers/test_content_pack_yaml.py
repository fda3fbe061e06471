"""The content pack's fast YAML paths give exactly what the plain PyYAML paths give: the
reader's node walk the same values and errors as the loader, the exporter's libyaml
output (lists re-indented) the same bytes as the pure-Python dumper."""

import gc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from careers.content_pack import ContentPackError, content_pack_read, export, fast_yaml

pytestmark = pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="needs libyaml")

TRICKY_TEXT = [
    "plain words",
    "Steps:\n- first\n- second\nkey: value\n",
    "  leading spaces and trailing  ",
    "a: b",
    "- looks like an item",
    "ends with a colon:",
    'quote\'s and "double" quotes',
    "#not a comment",
    "unicode: café — naïve ✓",
    "line one\n\n  indented after a blank line\n",
    "yes",
    "123",
    "",
    "tab\there",
    "x" * 300,
]


def _slow_dump(data) -> str:
    return yaml.dump(
        data, Dumper=export._PackDumper, sort_keys=False, allow_unicode=True, width=export._WIDTH
    )


def test_the_exporter_writes_the_bytes_the_python_dumper_writes():
    data = {
        "slug": "m",
        "topics": [
            {
                "slug": "t",
                "description": text,
                "prerequisites": [],
                "resources": [{"title": text, "free": True}, {"title": "b", "url": None}],
                "notes": [text, [text, {"deep": [text]}]],
                "requirements": {"core": [text, "x"], "optional": []},
            }
            for text in TRICKY_TEXT
        ],
        "roles": [],
    }
    assert export._yaml_dump(data) == _slow_dump(data)


leaf = st.one_of(st.text(max_size=40), st.integers(), st.booleans(), st.none())
key = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
tree = st.recursive(
    leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(key, children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(key, tree, min_size=1, max_size=4))
def test_any_pack_shaped_data_is_written_as_the_python_dumper_writes_it(data):
    assert export._yaml_dump(data) == _slow_dump(data)


def _slow_load(text):
    return yaml.load(text, Loader=fast_yaml._PackLoader)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, *x]\n",
        "<<: {a: 1}\nb: 2\n",
        "d: 2024-01-01\nn: ~\nf: 1.5\nt: yes\ns: !!str 5\nq: '7'\n",
        "- a\n- &m {k: v}\n- *m\n",
        "roles:\n  - slug: x\n    text: |\n      - a\n      b: c\n",
        "",
        "!!set {a, b}\n",
    ],
)
def test_the_reader_makes_the_values_the_loader_makes(text):
    assert repr(fast_yaml.yaml_load(text)) == repr(_slow_load(text))


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "1: a\n'1': b\n", "? [1]\n: 2\n", "a: [\n"])
def test_the_reader_refuses_what_the_loader_refuses(text):
    with pytest.raises(yaml.YAMLError) as slow:
        _slow_load(text)
    with pytest.raises(yaml.YAMLError) as fast:
        fast_yaml.yaml_load(text)
    assert str(fast.value) == str(slow.value)


def test_garbage_collection_runs_again_after_a_pack_is_refused(tmp_path):
    assert gc.isenabled()
    with pytest.raises(ContentPackError):
        content_pack_read(tmp_path)  # no modules: refused
    assert gc.isenabled()
