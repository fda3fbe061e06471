"""Content that moves without losing progress.

When a load retires a topic that the pack says is carried on by others (`replaces`, or
`split_topics`), each learner's state goes with it, in the same transaction:

- renamed (one old topic, one new): the state row moves to the new topic, note and dates too;
- split (one old topic, several new): each part gets the old state;
- merged (several old topics, one new): done when every merged topic was done or skipped,
  otherwise learning.

A learner who already has a state other than "not started" on the new topic keeps it. Each
carried state is recorded in the learner's state history with the content version. Old
slugs keep redirecting (301) to the topic or module that carries them on.
"""

from collections import defaultdict

from learning.models import (
    ModuleRedirect,
    PortfolioProject,
    TopicRedirect,
    TopicState,
    TopicStateChange,
)
from learning.querysets import COMPLETE_STATES

NOT_STARTED = TopicState.State.NOT_STARTED
DONE, LEARNING = TopicState.State.DONE, TopicState.State.LEARNING


def progress_carry(
    *, moves: dict[str, list[str]], retired: dict[str, int], ids: dict[str, int], version: int, now
) -> int:
    """Carry learners' states from the topics this load `retired` (slug -> id) to the topics
    that `moves` names for them; return how many states were carried."""
    sources: dict[int, list[int]] = defaultdict(list)  # new topic id -> old topic ids
    for old, news in moves.items():
        if old in retired:
            for new in news:
                sources[ids[new]].append(retired[old])
    if not sources:
        return 0
    old_ids = {old for olds in sources.values() for old in olds}
    states: dict[tuple[int, int], TopicState] = {
        (state.user_id, state.topic_id): state
        for state in TopicState.objects.filter(topic_id__in=old_ids)
    }
    existing = {
        (state.user_id, state.topic_id): state
        for state in TopicState.objects.filter(topic_id__in=list(sources))
    }
    split = {old for old in old_ids if sum(old in olds for olds in sources.values()) > 1}
    history = []
    for new_id, olds in sources.items():
        for user_id in {user for user, topic in states if topic in olds}:
            mine = [states.get((user_id, old)) for old in olds]
            carried = _carried(mine)
            if carried is None:
                continue
            target = existing.get((user_id, new_id))
            if target is not None and target.state != NOT_STARTED:
                continue
            if target is None and len(olds) == 1 and olds[0] not in split:
                target = mine[0]  # a rename: the row itself moves
            elif target is None:
                target = TopicState(user_id=user_id)
            target.topic_id = new_id
            target.state, target.note = carried["state"], carried["note"]
            target.state_changed_at, target.completed_at = carried["changed"], carried["completed"]
            target.save()
            history.append(
                TopicStateChange(
                    user_id=user_id,
                    topic_id=new_id,
                    state=target.state,
                    changed_at=now,
                    content_version=version,
                )
            )
    TopicStateChange.objects.bulk_create(history)
    return len(history)


def _carried(states: list[TopicState | None]) -> dict | None:
    """The state a learner carries from these old topics (None: nothing to carry)."""
    present = [state for state in states if state is not None and state.state != NOT_STARTED]
    if not present:
        return None
    if len(states) == 1:
        [state] = present
        completed = state.completed_at
        return {
            "state": state.state,
            "note": state.note,
            "changed": state.state_changed_at,
            "completed": completed,
        }
    complete = len(present) == len(states) and all(s.state in COMPLETE_STATES for s in present)
    return {
        "state": DONE if complete else LEARNING,
        "note": "\n\n".join(state.note for state in present if state.note),
        "changed": max(state.state_changed_at for state in present),
        "completed": max(state.completed_at for state in present) if complete else None,
    }


def redirects_write(
    *,
    moves: dict[str, list[str]],
    ids: dict[str, int],
    module_moves: dict[str, str],
    module_ids: dict[str, int],
):
    """Old topic and module slugs redirect to what carries them on (the first part of a
    split); redirects to a topic that is itself replaced now follow on to its successor."""
    for model, field, wanted in (
        (TopicRedirect, "topic_id", {old: ids[news[0]] for old, news in moves.items()}),
        (ModuleRedirect, "module_id", {old: module_ids[new] for old, new in module_moves.items()}),
    ):
        have = dict(model.objects.values_list("old_slug", field))
        for old, target in wanted.items():
            if old not in have:
                model.objects.create(old_slug=old, **{field: target})
            elif have[old] != target:
                model.objects.filter(old_slug=old).update(**{field: target})
        for old, old_row in _ids_of(model, wanted).items():  # old slug -> its archived row
            model.objects.filter(**{field: old_row}).update(**{field: wanted[old]})


def _ids_of(model, slugs):
    target = model._meta.get_field("topic" if model is TopicRedirect else "module").related_model
    return dict(target.objects.filter(slug__in=list(slugs)).values_list("slug", "id"))


def portfolio_links_carry(
    *, module_moves: dict[str, str], retired: dict[str, int], module_ids: dict[str, int]
):
    """Learners' portfolio projects linked to a retired module are linked to its successor too."""
    through = PortfolioProject.modules.through
    for old, new in module_moves.items():
        if old not in retired:
            continue
        linked = set(
            through.objects.filter(module_id=retired[old]).values_list(
                "portfolioproject_id", flat=True
            )
        )
        already = set(
            through.objects.filter(module_id=module_ids[new]).values_list(
                "portfolioproject_id", flat=True
            )
        )
        through.objects.bulk_create(
            [through(portfolioproject_id=pk, module_id=module_ids[new]) for pk in linked - already]
        )
