"""Text search over a queryset: ranked full-text search on PostgreSQL, a case-insensitive
match of every word elsewhere, title matches first. Querysets expose it as `.search(query)`."""

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When


def search_queryset(queryset, query: str, fields: list[str]):
    """Full-text search with ranking on PostgreSQL; a case-insensitive match elsewhere."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        weights = ["A", "B", "C", "D"]
        vector = SearchVector(fields[0], weight="A", config="english")
        for index, name in enumerate(fields[1:], start=1):
            vector = vector + SearchVector(name, weight=weights[min(index, 3)], config="english")
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.annotate(rank=SearchRank(vector, search_query))
            .filter(Q(rank__gt=0) | Q(**{f"{fields[0]}__icontains": query}))
            .order_by("-rank", fields[0])
        )
    condition = Q()
    for word in query.split():
        word_condition = Q()
        for name in fields:
            word_condition |= Q(**{f"{name}__icontains": word})
        condition &= word_condition
    # Ranked by where the words are: the whole query in the title, then every word in the
    # title, then anywhere; alphabetically within each.
    title = fields[0]
    in_title = Q()
    for word in query.split():
        in_title &= Q(**{f"{title}__icontains": word})
    rank = Case(
        When(Q(**{f"{title}__icontains": query}), then=Value(0)),
        When(in_title, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.filter(condition).annotate(title_rank=rank).order_by("title_rank", title)
