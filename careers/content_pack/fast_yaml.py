"""Reading YAML fast: libyaml's nodes made into plain values directly, and the cyclic
garbage collector paused while a large pack is read, loaded or exported (see each part's
comment for why)."""

import gc
from contextlib import contextmanager

import yaml


class _PackLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML loading (with libyaml's parser when installed: several times faster) that
    refuses a key given twice in one mapping instead of silently keeping the last."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)

    def resolve(self, kind, value, implicit):
        """The tag of an untagged node, as yaml.Resolver gives it, with less work for the
        commonest case: a scalar (no pack sets path resolvers)."""
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            if implicit[0]:
                resolvers = self.yaml_implicit_resolvers
                for tag, regexp in (*resolvers.get(value[:1], ()), *resolvers.get(None, ())):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def _refuse_duplicate_keys(node) -> None:
    """A mapping that gives one key twice is an error, not "the last one wins"."""
    seen = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                )
            seen.add(key_node.value)


@contextmanager
def gc_paused():
    """No cyclic garbage collection inside: reading or writing a large pack makes millions
    of objects (nodes, dicts, model instances) with no cycles among them, and the collector
    walking them again and again took half the time of a read. Reference counting still
    frees everything as usual; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map"))
_MERGE = "tag:yaml.org,2002:merge"


def yaml_load(text: str):
    """`yaml.load(text, Loader=_PackLoader)`, made about twice as fast: libyaml composes the
    nodes and the common ones (strings, lists, mappings) become values here directly; the
    loader's own constructors make the rest (numbers, booleans, dates, merges, tags)."""
    loader = _PackLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _node_value(loader, node, {})
    finally:
        loader.dispose()


def _node_value(loader, node, made: dict):
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if id(node) in made:  # an alias: the same list or mapping, as PyYAML gives it
        return made[id(node)]
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        items = made[id(node)] = []
        items.extend(_node_value(loader, child, made) for child in node.value)
        return items
    if (
        tag == _MAP
        and isinstance(node, yaml.MappingNode)
        and not any(key.tag == _MERGE for key, _ in node.value)
    ):
        mapping = made[id(node)] = {}
        _refuse_duplicate_keys(node)
        for key_node, value_node in node.value:
            key = _node_value(loader, key_node, made)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                ) from None
            mapping[key] = _node_value(loader, value_node, made)
        return mapping
    return loader.construct_object(node, deep=True)
