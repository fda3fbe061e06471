import unicodedata

from django.utils.http import url_has_allowed_host_and_scheme

NEXT_MAX_LENGTH = 2000


def safe_next(request, fallback: str) -> str:
    """The request's `next` when it is a path on this site, else `fallback`.

    Only absolute paths: `redirect()` would take a bare word for a view name, and a
    relative path lands somewhere nobody meant. No control characters, which a
    Location header cannot carry."""
    next_url = request.POST.get("next") or request.GET.get("next")
    if (
        next_url
        and next_url.startswith("/")
        and len(next_url) <= NEXT_MAX_LENGTH
        and not any(unicodedata.category(char)[0] == "C" for char in next_url)
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return next_url
    return fallback
