from django.db import models


class RoleQuerySet(models.QuerySet):
    def active(self):
        """Roles shown to visitors (not archived)."""
        return self.filter(is_archived=False)
