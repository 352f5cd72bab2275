"""Write a deterministic library of realistic canvas posts (2-4 KB each) for benchmarks."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PREFIXES = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Oscorp",
    "Gringotts",
    "Monarch",
)
SUFFIXES = (
    "Data",
    "Systems",
    "Labs",
    "Networks",
    "Analytics",
    "Cloud",
    "Storage",
    "Health",
    "Logistics",
    "Media",
    "Energy",
    "Finance",
    "Robotics",
    "Foods",
    "Mobility",
)
INDUSTRIES = (
    "AdTech",
    "Financial Services",
    "Healthcare",
    "Retail and Commerce",
    "Public Sector",
    "Energy",
    "Media and Communications",
    "Education",
    "Insurance",
    "Manufacturing",
    "Telecommunications",
    "Logistics",
)
PARTNERS = (
    "Amazon Web Services",
    "Microsoft Azure",
    "Google Cloud Platform",
    "Tableau",
    "Looker",
    "Salesforce",
    "SAP",
    "Oracle",
    "Cisco",
    "Dell",
    "IBM",
    "Intel",
    "Accenture",
    "Deloitte",
    "Stripe",
    "Twilio",
    "Shopify",
    "Snowflake",
)
HEADINGS = {
    "Customer Segments": ("Customer Segments", "Customer Segment", "1. Customer Segments"),
    "Value Propositions": ("Value Propositions", "Value Proposition", "**Value Propositions**"),
    "Channels": ("Channels", "Distribution Channels", "Channels:"),
    "Customer Relationships": ("Customer Relationships", "Customer Relationship"),
    "Revenue Streams": ("Revenue Streams", "Revenue Stream", "💰 Revenue Streams"),
    "Key Resources": ("Key Resources", "Key Resource"),
    "Key Activities": ("Key Activities", "Key Activity"),
    "Key Partners": ("Key Partners", "Key Partnerships", "Partner Network"),
    "Cost Structure": ("Cost Structure", "Costs"),
}
SENTENCES = (
    "{name} serves organisations whose operations depend on {industry}.",
    "The company focuses on customers in {industry} and {industry2}.",
    "Its platform reduces the cost of running {industry} workloads at scale.",
    "Sales are made through a direct sales force organised by region.",
    "Customers reach support by phone and e-mail around the clock.",
    "The company invests heavily in research and development of its core platform.",
    "Revenue comes from subscriptions priced by capacity and by support tier.",
    "Partnerships with resellers extend its reach into international markets.",
    "Most costs are fixed: salaries, data centres and sales and marketing.",
    "A free community edition brings developers to the paid enterprise edition.",
)


def company_name(number: int) -> str:
    prefix = PREFIXES[number % len(PREFIXES)]
    suffix = SUFFIXES[(number // len(PREFIXES)) % len(SUFFIXES)]
    return f"{prefix} {suffix} {number}"


def paragraph(rng: random.Random, name: str, sentences: int) -> str:
    chosen = [rng.choice(SENTENCES) for _ in range(sentences)]
    text = " ".join(chosen)
    return text.format(name=name, industry=rng.choice(INDUSTRIES), industry2=rng.choice(INDUSTRIES))


def post(number: int, seed: int = 0, markup: bool = False, small: bool = False) -> str:
    """One post in the seeds' format, with heading variants, lists and paragraphs.

    With `markup`, it ends in a link, so that mistune must read all of it; `small` gives
    each block one sentence and no list (about 1 KB a post), as in a library of notes.
    """
    if small:
        return small_post(number, seed)
    rng = random.Random(seed * 1_000_003 + number)
    name = company_name(number)
    slug = name.lower().replace(" ", "-")
    lines = [
        "---",
        "layout: post",
        f"title: {slug}",
        "---",
        "",
        f"Businessmodel of {name}",
        "-" * (len(name) + 17),
        "",
    ]
    for block, variants in HEADINGS.items():
        lines += [f"### {rng.choice(variants)}", ""]
        lines += [paragraph(rng, name, rng.randint(2, 4)), ""]
        if block in ("Customer Segments", "Key Partners") or rng.random() < 0.3:
            pool = INDUSTRIES if block == "Customer Segments" else PARTNERS
            items = rng.sample(pool, rng.randint(3, 7))
            first, *rest = items
            lines += [f" * {first}", *(f"* {item}" for item in rest), ""]
        if rng.random() < 0.5:
            lines += [paragraph(rng, name, rng.randint(1, 3)), ""]
    if markup:
        lines += [f"Read more on [the {name} site](https://example.com/{slug}).", ""]
    return "\n".join(lines)


def small_post(number: int, seed: int = 0) -> str:
    rng = random.Random(seed * 1_000_003 + number)
    name = company_name(number)
    slug = name.lower().replace(" ", "-")
    title = f"Businessmodel of {name}"
    lines = ["---", "layout: post", f"title: {slug}", "---", "", title, "-" * len(title), ""]
    for variants in HEADINGS.values():
        lines += [f"### {rng.choice(variants)}", "", paragraph(rng, name, 1), ""]
    return "\n".join(lines)


def generate_library(
    folder: Path, count: int, seed: int = 0, markup: bool = False, small: bool = False
) -> list[Path]:
    """Write `count` posts named like Jekyll posts into `folder`; the same input, the same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(count):
        name = company_name(number).lower().replace(" ", "-")
        path = folder / f"2016-{1 + number % 12:02d}-{1 + number % 28:02d}-{name}.md"
        path.write_text(post(number, seed, markup, small), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--small", action="store_true", help="Posts of about 1 KB.")
    arguments = parser.parse_args()
    paths = generate_library(
        arguments.folder, arguments.count, arguments.seed, small=arguments.small
    )
    print(f"wrote {len(paths)} posts to {arguments.folder}")


if __name__ == "__main__":
    main()
