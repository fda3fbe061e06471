"""Middleware every page passes through: headers, private pages, request size."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` from settings.PERMISSIONS_POLICY: browser features no page
    of ours uses are off, for our pages and anything they might embed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than settings.REQUEST_MAX_BYTES from its
    Content-Length, before anything reads it (Django's own limit leaves out file
    uploads). A body without a length (chunked) is refused too: Django would read it as
    empty, and the form would then say something misleading."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS:
            raw_length = request.META.get("CONTENT_LENGTH") or ""
            try:
                length = int(raw_length)
            except ValueError:
                length = None
            if (
                length is None
                and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            ):
                return render(request, "errors/411.html", status=411)
            if length is not None and length > settings.REQUEST_MAX_BYTES:
                limit_mb = settings.REQUEST_MAX_BYTES // (1024 * 1024)
                response = render(request, "errors/413.html", {"limit_mb": limit_mb}, status=413)
                # The body is left unread: the connection cannot carry another request.
                response["Connection"] = "close"
                return response
        return self.get_response(request)


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on everything served to a signed-in user:
    their pages show their own data (progress, notes, portfolio, their name in the
    header), which no shared cache may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
