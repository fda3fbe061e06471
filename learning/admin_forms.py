from collections import defaultdict

from django import forms

from learning.graph import cycles
from learning.models import Topic


def prerequisite_cycle(topic: Topic, prerequisites) -> list[Topic]:
    """The topics of a cycle that giving `topic` these prerequisites would close, starting
    and ending with `topic`; empty when there is none. Reads the whole graph in one query."""
    if topic.pk is None:
        return []  # nothing can depend on a topic that does not exist yet
    chosen = {prerequisite.pk: prerequisite for prerequisite in prerequisites}
    if topic.pk in chosen:
        return [topic, topic]
    graph: dict[int, list[int]] = defaultdict(list, {topic.pk: list(chosen)})  # searched first
    through = Topic.prerequisites.through.objects.values_list("from_topic_id", "to_topic_id")
    for from_id, to_id in through.iterator():
        if from_id != topic.pk:
            graph[from_id].append(to_id)
    found = cycles(graph)
    if not found:
        return []
    path = found[0]
    topics = Topic.objects.in_bulk(set(path))
    return [topics[pk] for pk in path]


class TopicAdminForm(forms.ModelForm):
    """The topic admin's form; refuses prerequisites that would make a cycle."""

    class Meta:
        model = Topic
        fields = [
            "module",
            "title",
            "slug",
            "description",
            "order",
            "hours",
            "level",
            "prerequisites",
            "is_archived",
        ]

    def clean(self):
        cleaned_data = super().clean()
        prerequisites = cleaned_data.get("prerequisites")
        if prerequisites:
            cycle = prerequisite_cycle(self.instance, prerequisites)
            if cycle:
                names = " → ".join(topic.title for topic in cycle)
                self.add_error(
                    "prerequisites",
                    f"These prerequisites would make a cycle: {names}. "
                    "A topic cannot depend, even indirectly, on itself.",
                )
        return cleaned_data


QUESTION_OPTIONS = (3, 5)


def question_options_problem(options) -> str | None:
    """Why a question's options cannot be asked, or None: the content pack's rules
    (careers/content_pack/schema.py), for the admin, which cannot import careers."""
    low, high = QUESTION_OPTIONS
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return 'Options must be a list of {"text": ..., "correct": true/false}.'
    if not low <= len(options) <= high:
        return f"A question has {low} to {high} options, not {len(options)}."
    texts = []
    for option in options:
        if set(option) - {"text", "correct"}:
            return 'Each option has only "text" and "correct".'
        text = option.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > 200:
            return "Each option needs a text of 1 to 200 characters."
        if not isinstance(option.get("correct", False), bool):
            return '"correct" is true or false.'
        texts.append(" ".join(text.lower().split()))
    if not any(option.get("correct") for option in options):
        return "Mark at least one option correct."
    if len(set(texts)) != len(texts):
        return "Two options have the same text."
    return None


class QuestionAdminForm(forms.ModelForm):
    def clean_options(self):
        options = self.cleaned_data["options"]
        if problem := question_options_problem(options):
            raise forms.ValidationError(problem)
        return [{"text": o["text"], "correct": bool(o.get("correct"))} for o in options]
