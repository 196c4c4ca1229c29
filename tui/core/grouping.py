"""Where an agent sits in the tree: level and domain, from frontmatter or inferred (DESIGN §4)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

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
_NAME_LEVEL_RE = re.compile(r"^[lL]([0-3])[-_]")
_DIGIT_PREFIX = re.compile(r"^\d+[-_. ]*")
# Folder names that say nothing about a domain; skip them when inferring from the path.
_GENERIC_DIRS = frozenset(
    {"agents", ".claude", "claude", "templates", "categories", "plugins", "subagents", "src"}
)


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


def infer_level(name: str | None) -> str | None:
    """Conservative guess from the name: `l2-…` prefix, "orchestrator" -> L1, "worker" -> L3."""
    if not name:
        return None
    m = _NAME_LEVEL_RE.match(name)
    if m:
        return f"L{m.group(1)}"
    lower = name.lower()
    if "orchestrator" in lower:
        return "L1"
    if "worker" in lower:
        return "L3"
    return None


def humanise_folder(name: str) -> str:
    """`02-language-specialists` -> `language specialists`."""
    cleaned = _DIGIT_PREFIX.sub("", name).replace("-", " ").replace("_", " ").strip()
    return cleaned.lower() or name.lower()


def domain_from_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip().lower().replace("_", "-")
    return None


def infer_domain(frontmatter: Mapping[str, Any], relative: tuple[str, ...]) -> tuple[str, bool]:
    """Return (domain, inferred). Only an explicit `domain` key is not inferred."""
    explicit = domain_from_text(frontmatter.get("domain"))
    if explicit:
        return explicit, False
    category = domain_from_text(frontmatter.get("category"))
    if category:
        return humanise_folder(category), True
    for folder in reversed(relative[:-1]):
        if folder.lower() not in _GENERIC_DIRS and not folder.startswith("_"):
            return humanise_folder(folder), True
    return GENERAL, True
