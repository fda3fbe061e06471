from django.db import models

from common.search import search_queryset


class RoleQuerySet(models.QuerySet):
    def active(self):
        """Roles shown to visitors (not archived)."""
        return self.filter(is_archived=False)

    def search(self, query: str):
        return search_queryset(self, query, ["title", "summary", "description"])

    def with_core_hours(self):
        """Annotate `core_hours`: estimated hours of active topics in the role's core modules."""
        from django.db.models import OuterRef, Subquery, Sum
        from django.db.models.functions import Coalesce

        from learning.models import Topic

        hours = (
            Topic.objects.active()
            .filter(
                module__requirements__role=OuterRef("pk"),
                module__requirements__importance="core",
            )
            .values("module__requirements__role")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        return self.annotate(core_hours=Coalesce(Subquery(hours[:1]), 0))
