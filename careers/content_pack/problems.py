"""Problems in a pack, worded for the person editing it: `file: entry: message`.

One table (`MESSAGES`) turns each kind of pydantic error into our wording; the location of
the error becomes the entry (`roles[3] ai-ethicist`, `topics[0] x resources[1]`) and the key.
"""

import re
from dataclasses import dataclass

from pydantic import ValidationError

# Lists whose items are entries of their own, labelled `name[index] slug`.
ENTRY_LISTS = {"roles", "projects", "topics", "resources", "split_topics", "questions"}


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    message: str

    def __str__(self):
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


class ContentPackError(Exception):
    """A pack that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def describe(value) -> str:
    """A value as a message quotes it."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{value!r} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _integer(key, error):
    value, low, high = error["input"], error["ctx"]["minimum"], error["ctx"]["maximum"]
    if isinstance(value, int) and not isinstance(value, bool) and value > high:
        return f"{key} must be at most {high}, not {value}"
    wanted = "a positive integer" if low == 1 else f"an integer of {low} or more"
    return f"{key} must be {wanted}, not {describe(value)}"


def _choices(key, error):
    allowed = ", ".join(re.findall(r"'([^']*)'", error["ctx"]["expected"]))
    return f"{key} must be one of {allowed}; not {describe(error['input'])}"


def _unknown_key(key, error):
    parent, _, name = key.strip("'").rpartition(".")
    if parent == "requirements":
        return f"'requirements' has unknown importance {name!r}"
    return f"unknown key {key.strip(chr(39))!r}"


def _mapping(key, error):
    subject = f"{key} must be" if key else "must be"
    return f"{subject} a mapping, not {describe(error['input'])}"


MESSAGES = {
    "extra_forbidden": _unknown_key,
    "missing": lambda key, error: f"missing required key {key}",
    "string_type": lambda key, error: f"{key} must be text, not {describe(error['input'])}",
    "blank": lambda key, error: f"{key} must not be empty",
    "string_too_long": lambda key, error: (
        f"{key} is {len(error['input'])} characters long; "
        f"the most allowed is {error['ctx']['max_length']}"
    ),
    "string_pattern_mismatch": lambda key, error: (
        f"{key} must be a slug (letters, digits, - and _), not {error['input']!r}"
    ),
    "integer": _integer,
    "literal_error": _choices,
    "bool_type": lambda key, error: f"{key} must be true or false, not {describe(error['input'])}",
    "list_type": lambda key, error: f"{key} must be a list, not {describe(error['input'])}",
    "too_short": lambda key, error: f"{key} must list at least one slug",
    "model_type": _mapping,
    "model_attributes_type": _mapping,
    "dict_type": _mapping,
    "field": lambda key, error: f"{key} {error['msg']}",
    "entry": lambda key, error: error["msg"],
}


def entry_label(name: str, index: int, item) -> str:
    slug = item.get("slug") if isinstance(item, dict) else None
    return f"{name}[{index}] {slug}" if isinstance(slug, str) and slug else f"{name}[{index}]"


def problems_from(error: ValidationError, *, file: str, data, label: str) -> list[Problem]:
    """Our problems for a pydantic error raised on `data` (one file; `label` names its
    top-level entry, e.g. `module deep-learning`, or is empty)."""
    problems = []
    for detail in error.errors(include_url=False):
        entry, key = _where(detail["loc"], data, label)
        wording = MESSAGES.get(detail["type"], lambda key, error: f"{key} {error['msg']}")
        problems.append(Problem(file, entry, wording(f"'{key}'" if key else "", detail).strip()))
    return problems


def _where(loc: tuple, data, label: str) -> tuple[str, str]:
    """(entry, key) for an error location: entries nest (`topics[0] x resources[1]`), the
    rest is the key (`requirements.core[2]`)."""
    entries, key, node = [label] if label else [], "", data
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        child = node.get(part) if isinstance(node, dict) else None
        if part in ENTRY_LISTS and not key and parts and isinstance(parts[0], int):
            index = parts.pop(0)
            node = child[index] if isinstance(child, list) and index < len(child) else None
            if part != "resources":
                entries = []
            entries.append(entry_label(part, index, node))
            continue
        if isinstance(part, int):
            key += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            key = f"{key}.{part}" if key else str(part)
            node = child
    return " ".join(entries), key
