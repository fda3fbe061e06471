"""Markdown to safe HTML, for content written by staff and notes written by learners."""

import hashlib
import re

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


LIST_ITEM = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s")


def _lists_start_a_block(text: str) -> str:
    """A blank line before a list that follows a paragraph line ("**Steps:**" then "- a"),
    which Markdown would otherwise fold into the paragraph as literal dashes."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        follows_paragraph = previous.strip() and not previous.startswith((" ", "\t"))
        if LIST_ITEM.match(line) and follows_paragraph and not LIST_ITEM.match(previous):
            out.append("")
        out.append(line)
    return "\n".join(out)


def render_markdown(text: str) -> SafeString:
    """Render Markdown and sanitise the HTML: no scripts, no event handlers, no
    `javascript:` links; links get rel="nofollow noopener noreferrer"."""
    if not text:
        return mark_safe("")
    key = "md2:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    html = cache.get(key)
    if html is None:
        raw = markdown.markdown(
            _lists_start_a_block(text), extensions=["tables", "sane_lists"], output_format="html"
        )
        html = nh3.clean(
            raw,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="nofollow noopener noreferrer",
        )
        cache.set(key, html, 60 * 60 * 24)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 above
