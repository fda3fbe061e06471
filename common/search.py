"""Text search over a queryset: ranked full-text search on PostgreSQL, a case-insensitive
match of every word elsewhere. Querysets expose it as `.search(query)`."""

from django.db import connection
from django.db.models import Q


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
    return queryset.filter(condition).order_by(fields[0])
