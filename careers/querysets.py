from django.db import models

from common.search import search_queryset


class RoleQuerySet(models.QuerySet):
    def active(self):
        """Roles shown to visitors (not archived)."""
        return self.filter(is_archived=False)

    def search(self, query: str):
        return search_queryset(self, query, ["title", "summary", "description"])
