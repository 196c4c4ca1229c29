"""Where an agent sits in the tree: level and domain, from frontmatter or inferred (DESIGN §4)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tui.core.definition import NO_DOMAIN_SOURCE
from tui.core.infer import humanise_folder, infer_domain, infer_level

LEVELS: tuple[str, ...] = ("L0", "L1", "L2", "L3")
LEVEL_TITLES: dict[str, str] = {
    "L0": "L0 · Epic orchestrators",
    "L1": "L1 · Orchestrators",
    "L2": "L2 · Specialists",
    "L3": "L3 · Workers",
}
UNLEVELED = "Unleveled"
GENERAL = "general"

_LEVEL_RE = re.compile(r"^\s*[lL]?\s*([0-3])\s*$")


def normalise_level(value: Any) -> str | None:
    """`l2`, `2`, `L2`, 2 -> "L2"; anything else -> None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return f"L{value}" if 0 <= value <= 3 else None
    if isinstance(value, str):
        m = _LEVEL_RE.match(value)
        return f"L{m.group(1)}" if m else None
    return None


@dataclass(frozen=True, slots=True)
class Placement:
    level: str | None
    level_source: str  # "" when the `level` key says it, else where the guess came from
    domain: str
    domain_source: str  # "" when the `domain` key says it


def place(
    frontmatter: Mapping[str, Any],
    name: str | None,
    description: str | None,
    tools: Sequence[str] | None,
    frameworks: Sequence[str],
    relative: tuple[str, ...],
) -> Placement:
    """Level and domain: a key in the file wins; else `category`; else inferred (infer.py)."""
    folders = relative[:-1]
    level = normalise_level(frontmatter.get("level"))
    level_source = ""
    if level is None:
        guess = infer_level(name, description, tools, folders)
        if guess is not None:
            level, level_source = guess.value, guess.source
    domain = domain_from_text(frontmatter.get("domain"))
    domain_source = ""
    if domain is None:
        category = domain_from_text(frontmatter.get("category"))
        if category:
            domain, domain_source = humanise_folder(category), "the `category` key"
        else:
            found = infer_domain(name, description, frameworks, folders)
            domain, domain_source = (
                (found.value, found.source) if found else (GENERAL, NO_DOMAIN_SOURCE)
            )
    return Placement(level, level_source, domain, domain_source)


def domain_from_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip().lower().replace("_", "-")
    return None
