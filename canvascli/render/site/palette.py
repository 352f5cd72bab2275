"""The site's colours, light and dark, and the contrast each pairing of them must reach."""

from __future__ import annotations

from typing import NamedTuple


class Palette(NamedTuple):
    """One theme: every colour the style sheet uses, as `#rrggbb`."""

    page: str
    text: str
    muted: str
    link: str
    box: str
    border: str
    mark: str
    marked_text: str
    accent: str
    accent_text: str


LIGHT = Palette(
    page="#ffffff",
    text="#1b1f24",
    muted="#57606a",
    link="#0b57d0",
    box="#f6f8fa",
    border="#7d8590",
    mark="#fff1a8",
    marked_text="#1b1f24",
    accent="#0b57d0",
    accent_text="#ffffff",
)
DARK = Palette(
    page="#0d1117",
    text="#e6edf3",
    muted="#9da7b3",
    link="#79b8ff",
    box="#161b22",
    border="#6e7681",
    mark="#5c4b00",
    marked_text="#fff8d6",
    accent="#79b8ff",
    accent_text="#0d1117",
)

# Text colour on background colour: each pair the style sheet puts together. Borders are
# not text: WCAG asks 3:1 of them against what they stand on.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "page"),
    ("text", "box"),
    ("muted", "page"),
    ("muted", "box"),
    ("link", "page"),
    ("link", "box"),
    ("marked_text", "mark"),
    ("accent_text", "accent"),
)
GRAPHIC_PAIRS: tuple[tuple[str, str], ...] = (("border", "page"), ("border", "box"))


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a `#rrggbb` colour."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [
        value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        for value in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def css_variables(palette: Palette) -> str:
    """The palette as CSS custom properties: `--page: #ffffff;` and so on."""
    return " ".join(
        f"--{name.replace('_', '-')}: {value};" for name, value in palette._asdict().items()
    )
