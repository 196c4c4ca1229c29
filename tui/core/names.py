"""The one set of rules for an agent's `name`, shared by `roster validate` and the New-agent,
Duplicate and Rename dialogs (DESIGN §2.7, cc_probes set D/E).

Claude Code's hard rules are errors (it skips the file): a non-empty string, not trimmed, not
starting with `-`, at most 256 characters, no `:` (also the full-width colon after NFKC). Its
documented convention (lowercase letters, digits and hyphens) is only a note, with a fix: the
suggested slug. Spaces, capitals, `_`, `/`, `..` and other letters all load in Claude Code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MAX_NAME_CHARS = 256
CONVENTION = "lowercase letters, digits and hyphens"
_CONVENTIONAL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class NameLevel(StrEnum):
    ERROR = "error"  # Claude Code skips the file
    INFO = "info"  # loads, but not in the documented convention


@dataclass(frozen=True, slots=True)
class NameVerdict:
    level: NameLevel
    problem: str  # "starts with `-`", "is not lowercase letters, digits and hyphens"
    fix: str  # what to do; for a note, the suggested slug is `slug`
    slug: str = ""  # the name the fix suggests (F9 in the dialogs puts it in)

    @property
    def is_error(self) -> bool:
        return self.level is NameLevel.ERROR

    def sentence(self) -> str:
        """One line for a dialog: the verdict and its fix."""
        if self.is_error:
            what = "is missing" if self.problem == "missing" else self.problem
            return f"Claude Code would skip it: the name {what}; {self.fix}."
        return f"Note: the name {self.problem} (Claude Code's convention); {self.fix}."


def hard_problem(name: Any) -> str | None:
    """Why Claude Code refuses this `name`, or None when it accepts it (it is not trimmed)."""
    if not isinstance(name, str) or name == "":
        return "missing" if name is None or name == "" else "not text"
    if name.startswith("-"):
        return "starts with `-`"
    if len(name) > MAX_NAME_CHARS:
        return f"is {len(name)} characters long (at most {MAX_NAME_CHARS})"
    if ":" in name or ":" in unicodedata.normalize("NFKC", name):
        return "contains `:`"
    return None


def slug(name: str) -> str:
    """The conventional form of `name`: accents dropped, camelCase split, lowercase, every run
    of other characters one hyphen (`My_Agent` -> `my-agent`); "agent" when nothing is left."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = _CAMEL.sub("-", plain).lower()
    out = _NOT_SLUG.sub("-", plain).strip("-")[:64].strip("-")
    return out or "agent"


def is_conventional(name: str) -> bool:
    return _CONVENTIONAL.fullmatch(name) is not None


def _fix_for(problem: str, name: str) -> tuple[str, str]:
    """What to do, and the name that does it."""
    if problem == "missing":
        return "type a name", slug(name)
    if problem == "contains `:`":
        better = "".join("-" if ":" in unicodedata.normalize("NFKC", c) else c for c in name)
        return f"use `{better}`", better
    if problem == "starts with `-`":
        return f"use `{slug(name)}`", slug(name)
    return f"shorten it to at most {MAX_NAME_CHARS} characters, e.g. `{slug(name)}`", slug(name)


def name_verdict(name: str) -> NameVerdict | None:
    """None: a conventional name. Otherwise an error (Claude Code skips the file) or a note."""
    problem = hard_problem(name)
    if problem is not None:
        fix, better = _fix_for(problem, name)
        return NameVerdict(NameLevel.ERROR, problem, fix, better)
    if is_conventional(name):
        return None
    suggested = slug(name)
    return NameVerdict(
        NameLevel.INFO, f"is not {CONVENTION}", f"suggested: `{suggested}`", suggested
    )
