from django.db import models


class RateCounter(models.Model):
    """One rate-limit counter, for when there is no Redis: every app process of the
    machine sees the same row (see common.ratelimit)."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M}"
