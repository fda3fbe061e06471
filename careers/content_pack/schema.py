"""The content pack's files, described once. Unknown keys are refused everywhere; values are
taken as YAML gives them (strict: no "5" for 5). Lengths come from the models they fill."""

from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from careers.models import Responsibility, Role, RoleRequirement
from learning.models import Level, Module, ProjectIdea, Question, Resource, Topic

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
POSITIVE_INTEGER_MAX = 2_147_483_647
SMALL_INTEGER_MAX = 32_767
IMPORTANCES = RoleRequirement.Importance.values


# The fields each record has both in the file and on its model, under the same name, in
# the order the export writes them; slugs, links and children are handled by name.
MODULE_FIELDS = ("title", "category", "summary", "order")
TOPIC_FIELDS = ("title", "description", "hours", "level")
ROLE_FIELDS = ("title", "summary", "description", "focus", "seniority", "order")
# ... and after the role's responsibilities in the file:
ROLE_MORE_FIELDS = ("education", "salary_min", "salary_max", "salary_note", "industries")
PROJECT_FIELDS = ("title", "summary", "description", "difficulty", "hours")


def values_of(record, names) -> dict:
    """{name: record.name} in the order of `names`: a record's fields from the file to
    its model's row, or from the model to the file."""
    return {name: getattr(record, name) for name in names}


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _field_error(message: str):
    """An error about the field it is raised on: the message follows the field's name."""
    return PydanticCustomError("field", message)


def _entry_error(message: str):
    """An error about the whole entry."""
    return PydanticCustomError("entry", message)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty")
    return value


def _none_as(default):
    """A key given with no value (`education:`) reads as its default."""
    return BeforeValidator(lambda value: default() if value is None else value)


def _integer(minimum: int, maximum: int, *, optional: bool = False):
    def check(value, handler):
        if value is None and optional:
            return None
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(
                "integer", "integer", {"minimum": minimum, "maximum": maximum}
            ) from None

    return Annotated[int, Field(ge=minimum, le=maximum), WrapValidator(check)]


def _unique(slugs: list[str]) -> list[str]:
    seen = set()
    for slug in slugs:
        if slug in seen:
            raise _field_error(f"lists {slug!r} twice")
        seen.add(slug)
    return slugs


_url_validate = URLValidator(schemes=["http", "https"])


def _web_address(url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        raise _field_error(f"must be an http:// or https:// address, not {url!r}")
    try:
        _url_validate(url)
    except DjangoValidationError:
        raise _field_error(f"is not a valid address: {url!r}") from None
    return url


def Text(max_length: int | None = None):  # noqa: N802 (a type)
    return Annotated[str, Field(max_length=max_length), AfterValidator(_not_blank)]


def OptionalText(max_length: int | None = None):  # noqa: N802 (a type)
    return Annotated[str, Field(max_length=max_length), _none_as(str)]


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]
Slugs = Annotated[list[Slug], AfterValidator(_unique), _none_as(list)]
Hours = _integer(1, SMALL_INTEGER_MAX)
Order = _integer(0, POSITIVE_INTEGER_MAX)
Salary = _integer(0, POSITIVE_INTEGER_MAX, optional=True)

LevelChoice = Literal[tuple(Level.values)]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Requirements(Entry):
    core: Slugs = []
    recommended: Slugs = []
    optional: Slugs = []

    @model_validator(mode="after")
    def _each_module_once(self):
        seen: dict[str, str] = {}
        for importance in IMPORTANCES:
            for slug in getattr(self, importance):
                if slug in seen:
                    raise _entry_error(
                        f"module {slug!r} is required twice ({seen[slug]} and {importance}); "
                        "a module may be listed once per role"
                    )
                seen[slug] = importance
        return self

    def by_importance(self) -> dict[str, list[str]]:
        return {importance: getattr(self, importance) for importance in IMPORTANCES}

    @property
    def listed(self) -> set[str]:
        return {slug for slugs in self.by_importance().values() for slug in slugs}


class RoleEntry(Entry):
    slug: Slug
    title: Text(_max(Role, "title"))
    summary: Text(_max(Role, "summary"))
    description: Text()
    focus: Literal[tuple(Role.Focus.values)]
    seniority: Literal[tuple(Role.Seniority.values)]
    order: Order
    responsibilities: list[Text(_max(Responsibility, "text"))]
    education: OptionalText() = ""
    salary_min: Salary = None
    salary_max: Salary = None
    salary_note: OptionalText(_max(Role, "salary_note")) = ""
    industries: Annotated[list[Text()], _none_as(list)] = []
    leads_to: Slugs = []
    requirements: Requirements

    @model_validator(mode="after")
    def _salary_order(self):
        low, high = self.salary_min, self.salary_max
        if low is not None and high is not None and low > high:
            raise _entry_error(f"'salary_min' ({low}) is above 'salary_max' ({high})")
        return self


class ResourceEntry(Entry):
    title: Text(_max(Resource, "title"))
    url: Annotated[Text(_max(Resource, "url")), AfterValidator(_web_address)]
    kind: Literal[tuple(Resource.Kind.values)]
    free: bool


class TopicEntry(Entry):
    slug: Slug
    title: Text(_max(Topic, "title"))
    description: Text()
    hours: Hours
    level: LevelChoice
    prerequisites: Slugs = []
    resources: Annotated[list[ResourceEntry], _none_as(list)] = []
    replaces: Slugs = []


class SplitEntry(Entry):
    """An old topic that left the pack in several parts: each part gets its progress."""

    slug: Slug
    split_into: Annotated[list[Slug], AfterValidator(_unique), Field(min_length=1)]


class ModuleFile(Entry):
    slug: Slug
    title: Text(_max(Module, "title"))
    category: Literal[tuple(Module.Category.values)]
    summary: Text()
    order: Order
    replaces: Slugs = []
    topics: list[TopicEntry]
    split_topics: Annotated[list[SplitEntry], _none_as(list)] = []


class ProjectEntry(Entry):
    slug: Slug
    title: Text(_max(ProjectIdea, "title"))
    summary: Text(_max(ProjectIdea, "summary"))
    description: Text()
    difficulty: LevelChoice
    hours: Hours
    modules: Slugs
    roles: Slugs


class RolesFile(Entry):
    roles: list[RoleEntry]


class ProjectsFile(Entry):
    projects: list[ProjectEntry]


# The question bank: content/questions/<module-slug>.yaml

QUESTION_OPTIONS = (3, 5)
OPTION_MAX_LENGTH = 200


class OptionEntry(Entry):
    text: Text(OPTION_MAX_LENGTH)
    correct: bool = False


class QuestionEntry(Entry):
    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=_max(Question, "slug"))]
    topic: Slug
    prompt: Text(Question._meta.get_field("prompt").max_length)
    options: list[OptionEntry]
    explanation: Text(Question._meta.get_field("explanation").max_length)
    resource: Annotated[str, AfterValidator(_web_address)] | None = None

    @model_validator(mode="after")
    def _options_make_a_question(self):
        low, high = QUESTION_OPTIONS
        if not low <= len(self.options) <= high:
            raise _entry_error(f"has {len(self.options)} options; a question has {low} to {high}")
        if not any(option.correct for option in self.options):
            raise _entry_error("has no correct option; mark at least one 'correct: true'")
        seen = set()
        for option in self.options:
            text = " ".join(option.text.lower().split())
            if text in seen:
                raise _entry_error(f"lists the option {option.text!r} twice")
            seen.add(text)
        return self


class QuestionsFile(Entry):
    module: Slug
    questions: list[QuestionEntry]
