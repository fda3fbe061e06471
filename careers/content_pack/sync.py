"""Making tables match the pack with few queries: rows upserted by slug (the rest archived),
many-to-many links and child rows replaced where they differ. Each returns what changed, so
a reload of the same pack writes nothing and reports nothing."""

from collections import defaultdict
from collections.abc import Iterable

BATCH_SIZE = 500


def batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Upsert:
    """Rows of one model made to match the pack by slug; the rest archived (never deleted)."""

    def __init__(self, model, rows: dict[str, dict], now):
        existing = {obj.slug: obj for obj in model.objects.order_by().iterator()}
        created, updated = [], []
        for slug, values in rows.items():
            obj = existing.get(slug)
            if obj is None:
                created.append(model(slug=slug, **values))
                continue
            changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
            if obj.is_archived:
                changed["is_archived"] = False  # back in the pack: restored
            if changed:
                updated.append((obj, changed))
        model.objects.bulk_create(created, batch_size=BATCH_SIZE)
        # One small UPDATE per changed row: far quicker than bulk_update's CASE expressions
        # for thousands of rows, and only the fields that changed are written.
        for obj, changed in updated:
            model.objects.filter(pk=obj.pk).update(**changed, updated_at=now)
        archived = {
            slug: obj.pk
            for slug, obj in existing.items()
            if slug not in rows and not obj.is_archived
        }
        for batch in batches(list(archived.values())):
            model.objects.filter(pk__in=batch).update(is_archived=True, updated_at=now)

        self.model, self.now = model, now
        self.ids = {slug: obj.pk for slug, obj in existing.items() if slug in rows}
        self.ids.update({obj.slug: obj.pk for obj in created})
        if any(pk is None for pk in self.ids.values()):  # backends that return no ids
            self.ids = dict(model.objects.filter(slug__in=list(rows)).values_list("slug", "id"))
        self.created = {obj.slug for obj in created}
        self.updated = {obj.slug for obj, _ in updated}
        self.archived = archived  # slug -> id of the rows this load archived

    def touch(self, owners: set[int]):
        """Count rows whose children or links changed as updated (unless just created)."""
        slugs = [slug for slug, pk in self.ids.items() if pk in owners]
        self.updated.update(slug for slug in slugs if slug not in self.created)

    def finish(self, counts):
        """Stamp rows updated only through their links or children; fill in `counts`."""
        for batch in batches(list(self.updated)):
            self.model.objects.filter(slug__in=batch, updated_at__lt=self.now).update(
                updated_at=self.now
            )
        counts.created = len(self.created)
        counts.updated = len(self.updated)
        counts.archived = len(self.archived)


def links_write(through, owner: str, target: str, wanted: dict[int, Iterable[int]]) -> set[int]:
    """Make each owner's rows in the M2M table `through` (columns `owner`, `target`) match
    `wanted` (owner id -> target ids); return the owners whose links changed."""
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, owner_id, target_id in through.objects.values_list("id", owner, target).iterator():
        if owner_id in wanted:
            current[owner_id][target_id] = pk
    stale, new, changed = [], [], set()
    for owner_id, targets in wanted.items():
        have = current.get(owner_id, {})
        targets = set(targets)
        gone = [pk for target_id, pk in have.items() if target_id not in targets]
        added = [target_id for target_id in targets if target_id not in have]
        if gone or added:
            changed.add(owner_id)
            stale.extend(gone)
            new.extend(through(**{owner: owner_id, target: target_id}) for target_id in added)
    for batch in batches(stale):
        through.objects.filter(pk__in=batch).delete()
    through.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return changed


def children_write(
    model, owner: str, fields: list[str], wanted: dict[int, list[tuple]], *, ordered=True
):
    """Replace the child rows of each owner whose rows differ from `wanted` (owner id ->
    field-value tuples, in order; compared as sets unless `ordered`); return owners changed."""
    owner_id = f"{owner}_id"
    current: dict[int, list[tuple]] = defaultdict(list)
    rows = model.objects.order_by(owner_id, *model._meta.ordering).values_list(owner_id, *fields)
    for row in rows.iterator():
        if row[0] in wanted:
            current[row[0]].append(tuple(row[1:]))

    def same(have, want):
        return have == want if ordered else sorted(have) == sorted(want)

    changed = [pk for pk, children in wanted.items() if not same(current.get(pk, []), children)]
    for batch in batches(changed):
        model.objects.filter(**{f"{owner_id}__in": batch}).delete()
    model.objects.bulk_create(
        [
            model(**{owner_id: pk}, **dict(zip(fields, values, strict=True)))
            for pk in changed
            for values in wanted[pk]
        ],
        batch_size=BATCH_SIZE,
    )
    return set(changed)
