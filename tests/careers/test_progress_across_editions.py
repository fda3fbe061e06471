"""Learners keep their progress when the content pack changes edition: the pack as shipped
before the 2027 edition (tests/fixtures/content_packs/before_2027, trimmed from git history)
is loaded, learners make progress on it through the services, then the current pack is
loaded over it. Every state that still has a home is where the pack says it went."""

import shutil
from collections import defaultdict
from itertools import cycle
from pathlib import Path

import pytest
import yaml

from careers.content_pack import content_pack_load, content_pack_read
from careers.models import Role
from learning.models import Topic, TopicState
from learning.querysets import COMPLETE_STATES
from learning.services import topic_state_set
from tests.accounts.factories import UserFactory
from tests.shipped_pack import SHIPPED_PACK

pytestmark = pytest.mark.django_db

BEFORE_2027 = Path(__file__).resolve().parent.parent / "fixtures/content_packs/before_2027"


def progress_build():
    """Three learners on the old pack: one who finished everything, one with a mix of
    done, skipped and learning (with notes) over every topic, one with a done here and there."""
    topics = list(Topic.objects.active().order_by("module__order", "order", "id"))
    finished = UserFactory(email="finished@example.com")
    mixed = UserFactory(email="mixed@example.com", target_role=Role.objects.first())
    sparse = UserFactory(email="sparse@example.com")
    for topic in topics:
        topic_state_set(user=finished, topic=topic, state="done")
    for topic, state in zip(topics, cycle(["done", "skipped", "learning", "done"]), strict=False):
        topic_state_set(user=mixed, topic=topic, state=state)
    TopicState.objects.filter(user=mixed, topic__in=topics[::5]).update(note="My own words.")
    for topic in topics[::7]:
        topic_state_set(user=sparse, topic=topic, state="done")


def progress_held() -> dict[tuple[str, str], tuple[str, str]]:
    """(learner, topic slug) -> (state, note) on every active topic a learner has touched."""
    rows = (
        TopicState.objects.filter(topic__is_archived=False)
        .exclude(state=TopicState.State.NOT_STARTED)
        .values_list("user__email", "topic__slug", "state", "note")
    )
    return {(email, slug): (state, note) for email, slug, state, note in rows}


def progress_expected(before: dict, pack_path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """What each learner should hold after loading the pack at `pack_path` over `before`: a
    kept topic keeps its state; a renamed one's state moves; each part of a split gets the
    old state; a merge is done when every merged topic was done or skipped, otherwise
    learning (its notes joined). A topic retired with no successor has no home."""
    pack = content_pack_read(pack_path)
    current = {topic.slug for topic in pack.topics}
    moves = pack.topic_moves()
    sources = defaultdict(list)  # current slug -> the old slugs that carry into it
    for old in sorted({slug for _, slug in before} | set(moves)):
        if old in current:
            sources[old].append(old)
        else:
            for new in moves.get(old, []):
                sources[new].append(old)
    expected = {}
    for email in {email for email, _ in before}:
        for new, olds in sources.items():
            held = [before.get((email, old)) for old in olds]
            present = [entry for entry in held if entry is not None]
            if not present:
                continue
            if len(olds) == 1:
                expected[email, new] = present[0]
                continue
            complete = len(present) == len(olds) and all(s in COMPLETE_STATES for s, _ in present)
            note = "\n\n".join(note for _, note in present if note)
            expected[email, new] = ("done" if complete else "learning", note)
    return expected


def dones(progress: dict) -> int:
    return sum(state == "done" for state, _ in progress.values())


def test_learners_keep_every_done_from_the_pack_before_2027(tmp_path):
    content_pack_load(path=BEFORE_2027)
    progress_build()
    before = progress_held()

    content_pack_load(path=SHIPPED_PACK)

    after = progress_held()
    assert after == progress_expected(before, SHIPPED_PACK)
    assert dones(before) > 250  # the check covers hundreds of learners' dones


# The next edition: the current pack with a rename, a split and a merge


def _pack_with_moves(target: Path, *, renames: dict, splits: dict, merges: dict) -> Path:
    """A copy of the current pack in which the topics in `renames` (old -> new) are renamed,
    those in `splits` (old -> parts) split and those in `merges` (new -> olds) merged, each
    declared with `replaces` / `split_topics` and every reference following it."""
    shutil.copytree(SHIPPED_PACK, target)
    merged_into = {old: new for new, olds in merges.items() for old in olds}

    def follow(slug):
        return renames.get(slug) or (splits.get(slug) or [None])[0] or merged_into.get(slug, slug)

    for path in sorted((target / "modules").glob("*.yaml")):
        module = yaml.safe_load(path.read_text())
        topics = []
        for topic in module["topics"]:
            old = topic["slug"]
            if old in renames:
                topics.append(topic | {"slug": renames[old], "replaces": [old]})
            elif old in splits:
                topics += [topic | {"slug": part} for part in splits[old]]
                module.setdefault("split_topics", []).append(
                    {"slug": old, "split_into": splits[old]}
                )
            elif old in merged_into:
                new = merged_into[old]
                if all(entry["slug"] != new for entry in topics):
                    topics.append(topic | {"slug": new, "replaces": merges[new]})
            else:
                topics.append(topic)
        for topic in topics:
            prerequisites = [follow(slug) for slug in topic.get("prerequisites") or []]
            topic["prerequisites"] = [
                slug for slug in dict.fromkeys(prerequisites) if slug != topic["slug"]
            ]
        module["topics"] = topics
        path.write_text(yaml.safe_dump(module, sort_keys=False, allow_unicode=True))
    for path in sorted((target / "questions").glob("*.yaml")):
        bank = yaml.safe_load(path.read_text())
        for question in bank["questions"]:
            question["topic"] = follow(question["topic"])
        path.write_text(yaml.safe_dump(bank, sort_keys=False, allow_unicode=True))
    return target


def test_learners_keep_their_progress_through_renamed_split_and_merged_topics(tmp_path):
    next_edition = _pack_with_moves(
        tmp_path / "next",
        renames={"prompt-patterns": "prompt-patterns-and-templates"},
        splits={"attention-mechanism": ["self-attention", "multi-head-attention"]},
        merges={"describing-data": ["descriptive-statistics", "probability-distributions"]},
    )
    content_pack_load(path=BEFORE_2027)
    progress_build()
    before = progress_held()

    report = content_pack_load(path=next_edition)

    after = progress_held()
    assert after == progress_expected(before, next_edition)
    assert report.carried_states == sum(
        (email, slug) in after
        for email in ("finished@example.com", "mixed@example.com", "sparse@example.com")
        for slug in [
            "prompt-patterns-and-templates",
            "self-attention",
            "multi-head-attention",
            "describing-data",
        ]
    )
    assert after["finished@example.com", "describing-data"][0] == "done"
    assert after["finished@example.com", "self-attention"][0] == "done"
    assert after["finished@example.com", "multi-head-attention"][0] == "done"
    assert sorted(report.version.replaced_topics) == [
        "attention-mechanism",
        "descriptive-statistics",
        "probability-distributions",
        "prompt-patterns",
    ]
