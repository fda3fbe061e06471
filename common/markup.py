"""Markdown to safe HTML, for content written by staff and notes written by learners."""

import hashlib

import markdown
import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """Render Markdown and sanitise the HTML: no scripts, no event handlers, no
    `javascript:` links; links get rel="nofollow noopener noreferrer"."""
    if not text:
        return mark_safe("")
    key = "md:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    html = cache.get(key)
    if html is None:
        raw = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
        html = nh3.clean(
            raw,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="nofollow noopener noreferrer",
        )
        cache.set(key, html, 60 * 60 * 24)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 above
