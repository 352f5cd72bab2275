"""A new, empty canvas post for one company: its file name and its Markdown, nothing written."""

from __future__ import annotations

import datetime as dt
import json

from canvascli.model import LEAN_LAYOUT, AnyBlock, Block, CanvasKind, LeanBlock, block_title
from canvascli.read.canvas import slug_from_path
from canvascli.render.export import markdown_heading

# One question per block, as an HTML comment: a Markdown page renders it as nothing.
PROMPTS: dict[AnyBlock, str] = {
    Block.CUSTOMER_SEGMENTS: "For whom do we create value? Who are our most important customers?",
    Block.VALUE_PROPOSITIONS: "What value do we deliver, and which problems do we help solve?",
    Block.CHANNELS: "Through which channels do our customer segments want to be reached?",
    Block.CUSTOMER_RELATIONSHIPS: "What relationship does each customer segment expect?",
    Block.REVENUE_STREAMS: "For what value are our customers willing to pay, and how?",
    Block.KEY_RESOURCES: "What key resources do our value propositions require?",
    Block.KEY_ACTIVITIES: "What key activities do our value propositions require?",
    Block.KEY_PARTNERS: "Who are our key partners and suppliers, and what do they do for us?",
    Block.COST_STRUCTURE: "What are the most important costs inherent in our business model?",
    LeanBlock.PROBLEM: "The top three problems our customers have, and how they solve them today.",
    LeanBlock.SOLUTION: "The top three features that solve those problems.",
    LeanBlock.UNFAIR_ADVANTAGE: "What we have that cannot easily be copied or bought.",
    LeanBlock.KEY_METRICS: "The key numbers that tell us how the business is doing.",
}


def post_slug(company: str) -> str:
    """The slug of a company's new post, made as every post's slug is made from its file name."""
    return slug_from_path(company.replace("/", "-").replace("\\", "-") + ".md")


def post_file_name(slug: str, day: dt.date, *, jekyll: bool) -> str:
    """`YYYY-MM-DD-slug.md` in a Jekyll `_posts` folder, else `slug.md`."""
    return f"{day.isoformat()}-{slug}.md" if jekyll else f"{slug}.md"


def blank_canvas(company: str, day: dt.date, *, lean: bool = False) -> str:
    """The Markdown of a new post: front matter, a title line, and every block's heading
    in its canonical order with a one-line prompt that renders as nothing."""
    blocks = LEAN_LAYOUT if lean else tuple(Block)
    kind: CanvasKind = "lean" if lean else "business"
    # JSON's double-quoted string is YAML's too: any name stays one safe scalar.
    lines = [
        "---",
        "layout: post",
        f"title: {json.dumps(company, ensure_ascii=False)}",
        f"date: {day.isoformat()}",
        "---",
        "",
        markdown_heading(1, company),
    ]
    for block in blocks:
        lines += ["", f"## {block_title(block, kind)}", "", f"<!-- {PROMPTS[block]} -->"]
    return "\n".join(lines) + "\n"
