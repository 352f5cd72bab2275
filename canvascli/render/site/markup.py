"""A post's Markdown as HTML that is safe to publish: escaped text, vetted links, no media."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from canvascli.model import Section

# Schemes a link from a post may keep; anything else (`javascript:`, `data:`, `file:`) is text.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"
# Control characters have no place in a page; tabs and newlines are Markdown's own.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
# Deep enough for any real post; deeper nesting is shown as the plain text of its entries.
_MAX_NESTING = 40


def without_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def is_safe_link(url: str) -> bool:
    """Whether `url` is an absolute http(s) or mailto address a page may link to."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in LINK_SCHEMES:
        return False
    return bool(parts.path) if parts.scheme.lower() == "mailto" else bool(parts.netloc)


def link(url: str, text: str | Markup) -> Markup:
    """An anchor to `url`, which the caller has vetted with `is_safe_link`."""
    return Markup('<a href="{}" rel="{}">{}</a>').format(url.strip(), LINK_REL, text)


@cache
def _markdown() -> Any:
    import mistune
    from mistune.renderers.html import HTMLRenderer

    class PostRenderer(HTMLRenderer):
        """Mistune's HTML, with raw HTML escaped, links vetted and nothing fetched."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            if not is_safe_link(url):
                return text
            return str(link(url, Markup(text)))

        def image(self, text: str, url: str, title: str | None = None) -> str:
            # A picture would be a request to somewhere else: its words, linked if safe.
            alt = escape(text) or Markup("image")
            return str(link(url, alt)) if is_safe_link(url) else str(alt)

        def heading(self, text: str, level: int, **attrs: Any) -> str:
            # Inside a box, below the box's own heading, whatever level the post gave it.
            return f'<h3 class="subheading">{text}</h3>\n'

    return mistune.create_markdown(
        escape=True, renderer=PostRenderer(escape=True), plugins=["table", "strikethrough", "url"]
    )


def _body(markdown: str) -> str:
    """The section's Markdown without its own heading line(s)."""
    lines = markdown.split("\n")
    if lines and _ATX_HEADING.match(lines[0]):
        return "\n".join(lines[1:])
    if len(lines) > 1 and lines[0].strip() and _SETEXT_UNDERLINE.match(lines[1]):
        return "\n".join(lines[2:])
    return markdown


def _plain(section: Section) -> Markup:
    return Markup("").join(Markup("<p>{}</p>\n").format(entry.text) for entry in section.entries)


def section_html(section: Section) -> Markup:
    """The body of a section as HTML: lists, tables, emphasis and vetted links kept."""
    body = without_controls(_body(section.markdown))
    if body.count(">") + body.count("- ") > _MAX_NESTING * 50 and _nested_too_deep(body):
        return _plain(section._replace(entries=_clean_entries(section)))
    try:
        return Markup(_markdown()(body))
    except RecursionError:
        return _plain(section._replace(entries=_clean_entries(section)))


def _clean_entries(section: Section) -> tuple[Any, ...]:
    return tuple(entry._replace(text=without_controls(entry.text)) for entry in section.entries)


def _nested_too_deep(body: str) -> bool:
    return any(
        len(line) - len(line.lstrip("> -*\t")) > _MAX_NESTING * 2 for line in body.split("\n")
    )
