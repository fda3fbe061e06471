"""Limits on sign-in, every other password check, sign-up and password-reset attempts."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

from common import ratelimit

WINDOW_SECONDS = 60 * 60


def login_username(request, credentials):
    """The account a sign-in attempt is for: emails are compared case-insensitively,
    so "Ada@Example.com" and "ada@example.com" share one failure count."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().lower()


def client_address(request) -> str:
    if settings.TRUSTED_PROXY_COUNT:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= settings.TRUSTED_PROXY_COUNT:
            return forwarded[-settings.TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_exceeded(request, scope: str, limit: int) -> bool:
    """Count one attempt for this client in `scope`; True once it is over `limit` in
    the current hour. The count is shared by every app process (common.ratelimit)."""
    return ratelimit.over_limit(scope, client_address(request), limit=limit, window=WINDOW_SECONDS)


def too_many_attempts(request, what: str):
    return render(request, "accounts/too_many_attempts.html", {"what": what}, status=429)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: our page, with a 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)


# Password checks outside sign-in (password change, account deletion) count toward the
# same django-axes lockout: someone holding a session cannot guess the password there.


def password_checks_allowed(request) -> bool:
    """False while the signed-in account, or the client's address, is locked out."""
    if not settings.AXES_ENABLED:
        return True
    return AxesProxyHandler.is_allowed(request, {"username": request.user.email})


def password_matches(request, user, password: str) -> bool:
    """Check `user`'s password; a wrong one is counted as a failed sign-in (the failure
    that reaches the limit turns the response into the lockout page, as at sign-in)."""
    if user.check_password(password):
        return True
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)
    return False
