"""One table that turns pydantic's errors about a data file into our wording:
`section #index, field: message.`, every problem at once (the first few shown)."""

from accounts.data_file.schema import EXPORT_VERSION, WEEKLY_HOURS

PROBLEMS_SHOWN = 20
NOT_AN_EXPORT = "This is not a GenAI Pathways export file (its “format” is missing or wrong)."
UNKNOWN_VERSION = (
    f"This export file’s version is not one we know; we can only read version {EXPORT_VERSION}."
)
WHOLE_HOURS = "must be a whole number from {} to {}".format(*WEEKLY_HOURS)

# Each error type, pydantic's or one raised in schema.py, in our words. The error's
# context fills the braces; {expected} is the list of allowed values.
MESSAGES = {
    "required": "is required",  # null where something else belongs
    "model_type": "must be an object with fields",
    "list_type": "must be a list",
    "string_type": "must be text",
    "string_unicode": "must be valid Unicode text",  # a lone surrogate, say
    "string_too_long": "is longer than {max_length} characters",
    "string_too_short": "must not be empty",
    "string_pattern_mismatch": "must not contain null characters",  # schema.WITHOUT_NULL
    "blank": "must not be empty",
    "web_address": "must be an http:// or https:// address, or empty",
    "userinfo": "must not have a “name@” part before the site",
    "int_type": WHOLE_HOURS,
    "greater_than_equal": WHOLE_HOURS,
    "less_than_equal": WHOLE_HOURS,
    "bool_type": "must be true or false",
    "literal_error": "must be one of {expected}",
    "slug_list": "must be a list of slugs",
    "slug_repeated": "lists the same slug more than once",
    "moment": "must be a date and time like 2025-01-31T09:30:00+00:00",
    "day": "must be a date like 2025-01-31, or null",
    "clock": "must be a time of day like 18:30",
    "time_zone": "must be a time zone name such as Europe/Paris",
    "study_days": 'must be a list of different weekdays, such as ["monday", "saturday"]',
    "public_without_handle": "a public page needs a public_handle",
    "completed_at_missing": "is required when the state is {state}",
    "completed_at_not_null": "must be null when the state is {state}",
    "finished_before_started": "must not be before started_on",
    "count": "must be a whole number of 0 or more",
    "index_list": "must be a list of option numbers (0 to 9)",
    # These two are said of the record that lacks or has the fields, or of the file.
    "missing": "missing {fields}",
    "extra_forbidden": "unexpected {fields}",
}
FILE_MESSAGES = {
    "missing": "The file is missing sections: {fields}.",
    "extra_forbidden": "The file has unexpected sections: {fields}.",
}


def names(values, *, limit: int = 10) -> str:
    """A short, readable list of names taken from the file, however many or long they are."""
    values = list(values)
    shown = [value if len(value) <= 60 else f"{value[:60]}…" for value in values[:limit]]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(shown) + more


def where(loc) -> str:
    """("topic_states", 0, "note") -> "topic_states #1, note"."""
    parts: list[str] = []
    for step in loc:
        if isinstance(step, int):
            parts[-1] += f" #{step + 1}"
        else:
            parts.append(names([step]))
    return ", ".join(parts)


def worded(errors: list[dict]) -> list[str]:
    """Our wording for each of pydantic's errors; a file that is not an export of a
    version we read gets that one message alone."""
    first_steps = {error["loc"][:1] for error in errors}
    if first_steps & {(), ("format",)}:
        return [NOT_AN_EXPORT]
    if ("version",) in first_steps:
        return [UNKNOWN_VERSION]
    # Each problem, and the fields it lists when it is a record's missing or unexpected
    # fields: those are said in one line per record.
    problems: dict[str | tuple, list[str]] = {}
    for error in errors:
        loc, kind, context = error["loc"], error["type"], dict(error.get("ctx", {}))
        if kind.endswith("_type") and error.get("input", ...) is None:
            kind = "required"
        if kind in ("missing", "extra_forbidden"):
            problems.setdefault((loc[:-1], kind), []).append(names([str(loc[-1])]))
            continue
        if "expected" in context:  # "'a', 'b' or 'c'" -> "a, b, c"
            context["expected"] = context["expected"].replace("'", "").replace(" or ", ", ")
        problems[f"{where(loc)}: {MESSAGES.get(kind, 'is not valid').format(**context)}."] = []
    return [
        _fields_listed(*problem, fields) if fields else problem
        for problem, fields in problems.items()
    ]


def _fields_listed(loc: tuple, kind: str, fields: list[str]) -> str:
    if not loc:
        return FILE_MESSAGES[kind].format(fields=names(fields))
    return f"{where(loc)}: {MESSAGES[kind].format(fields=names(fields))}."


def shown(problems: list[str]) -> list[str]:
    """The first few problems, and how many more there are."""
    if len(problems) <= PROBLEMS_SHOWN:
        return problems
    return [*problems[:PROBLEMS_SHOWN], f"…and {len(problems) - PROBLEMS_SHOWN} more problems."]
