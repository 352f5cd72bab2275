"""Leave out what a site generator expands in a post: shortcodes, Liquid tags, attributes."""

from __future__ import annotations

import re

from canvascli.read.patterns import deferred

# A Liquid comment with what it holds, and a Hugo comment: notes no reader sees.
_COMMENT = (
    r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}"
    r"|\{\{<?\s*/\*.*?\*/\s*>?\}\}"
)
# A Hugo shortcode, opening or closing: `{{< figure src="a.png" >}}`, `{{% notice tip %}}`,
# `{{< /notice >}}`. What a paired one holds is the post's text and stays.
_SHORTCODE = r"\{\{[<%]-?\s*/?\s*[\w./-]+(?:[^{}]|\{[^{}]*\})*?-?[>%]\}\}"
# A Liquid tag: `{% include note.html %}`, `{% raw %}`, `{%- if page.draft -%}`.
_LIQUID_TAG = r"\{%-?\s*[A-Za-z_]\w*(?:[^%]|%(?!\}))*?-?%\}"
# Liquid or Hugo output of the site's own values: `{{ site.baseurl }}`, `{{ page.date |
# date: "%Y" }}`, `{{ .Title }}`. A field of a template to fill (`{{business_name}}`,
# `{{ Company }}`) names no value of the site and stays, as the text of a template.
_SITE_OUTPUT = (
    r"\{\{-?\s*(?:(?:site|page|layout|include|post|paginator|jekyll|forloop|content)\b"
    r"|\.[A-Z])[^{}]*?-?\}\}"
    r"|\{\{-?[^{}|]+\|[^{}]+?-?\}\}"
)
# A kramdown attribute list, on a line of its own or after a span: `{: .notice}`, `{:#id}`.
_ATTRIBUTE_LIST = r"\{:[^{}]*\}"
_LINK = deferred(r"\[([^\[\]]*)\]\([^()\s]*\)")
_SPACE_BEFORE_MARK = deferred(r" ([.,;:!?)])")
_SITE_MARKUP = deferred(
    f"{_COMMENT}|{_SHORTCODE}|{_LIQUID_TAG}|{_SITE_OUTPUT}|{_ATTRIBUTE_LIST}", re.DOTALL
)


def without_site_markup(text: str) -> str:
    """`text` without the shortcodes, Liquid tags and site values in it, its spaces made
    single where any was taken out; `text` itself when it holds none."""
    if "{" not in text:
        return text
    cleaned = _SITE_MARKUP.sub("", text)
    if cleaned == text:
        return text
    # A link to a site value (`[shop]({{ site.baseurl }}/shop)`) was no link to Markdown
    # for the spaces in its address: it is its text, as any other link is.
    cleaned = _LINK.sub(r"\1", " ".join(cleaned.split()))
    # No space is left before the punctuation a value stood before: `in {{ site.city }}.`
    return _SPACE_BEFORE_MARK.sub(r"\1", cleaned)
