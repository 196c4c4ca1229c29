"""Fuzzy filter for the agent tree (pure Python: no Textual, no Rich, so it is cheap to test).

A query is split on whitespace; every token must match. A token matches an agent when it is a
subsequence of the name (fzf-style: `lbs` finds `l2-backend-specialist`) or a substring of the
description, domain, frameworks or tools. The score ranks name matches first so the cursor can
jump to the best hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tui.core.definition import AgentDefinition


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: cheap in sets and dicts
class SearchKey:
    """What the filter looks at for one definition, lower-cased once."""

    path: Path
    name: str
    haystack: str  # description, domain, frameworks, tools, model, file stem
    blob: str  # name + haystack: one `in` test per token for the common case

    @classmethod
    def of(cls, d: AgentDefinition) -> SearchKey:
        parts = [d.description or "", d.domain, " ".join(d.frameworks), d.path.stem]
        if d.tools:
            parts.append(" ".join(d.tools))
        if d.model:
            parts.append(d.model)
        name = d.display_name.lower()
        haystack = " ".join(parts).lower()
        return cls(d.path, name, haystack, f"{name}\n{haystack}")


@lru_cache(maxsize=256)
def _token_regex(token: str) -> re.Pattern[str]:
    return re.compile(".*?".join(re.escape(ch) for ch in token))


_BOUNDARY = frozenset("-_ ./:")


def _subsequence_score(token: str, name: str) -> int:
    """fzf-like: 0 if `token` is not a subsequence of `name`; else 10 plus bonuses for letters
    at word starts and for runs of adjacent letters (capped below a substring match)."""
    if _token_regex(token).search(name) is None:
        return 0
    score = 10
    at = -1
    for ch in token:
        found = name.find(ch, at + 1)
        if found < 0:  # the leftmost scan can miss where the regex found a match
            return 10
        if found == 0 or name[found - 1] in _BOUNDARY:
            score += 3
        if at >= 0 and found == at + 1:
            score += 4
        at = found
    return min(score, 55)


def tokens(query: str) -> tuple[str, ...]:
    return tuple(t for t in query.lower().split() if t)


def score(key: SearchKey, toks: tuple[str, ...]) -> int:
    """0 when some token does not match; otherwise higher is better."""
    total = 0
    for tok in toks:
        name = key.name
        if name.startswith(tok):
            total += 100
        elif tok in name:
            total += 60
        elif tok in key.haystack:
            total += 20
        else:
            fuzzy = _subsequence_score(tok, name)
            if not fuzzy:
                return 0
            total += fuzzy
    # shorter names win ties: `backend` prefers `l2-backend-specialist` over longer variants
    return total * 1000 - min(len(key.name), 999)


def search(keys: list[SearchKey], query: str) -> tuple[list[SearchKey], SearchKey | None]:
    """The keys matching every token of `query` (input order kept) and the best of them (None
    when more than `SCORED` match: ranking thousands is wasted on a half-typed query).

    Built for 10,000 keys per keystroke: membership is one `in` per token and key (a regex on
    the name only when that fails).
    """
    toks = tokens(query)
    if not toks:
        return list(keys), None
    out = keys
    for tok in toks:
        rx = _token_regex(tok)
        out = [k for k in out if tok in k.blob or rx.search(k.name) is not None]
    if not out:
        return [], None
    if len(out) > SCORED:
        return out, None  # too many to rank: the user is still typing
    return out, max(out, key=lambda k: score(k, toks))


SCORED = 400


def best_of(keys: list[SearchKey], query: str) -> SearchKey | None:
    """The best of many matches, cheaply: among the keys whose name holds every token (else
    all of them), the SCORED shortest names are ranked. No free text: the shortest name."""
    if not keys:
        return None
    toks = tokens(query)
    if not toks:
        return min(keys, key=lambda k: (len(k.name), k.name))
    pool = [k for k in keys if all(t in k.name for t in toks)] or keys
    if len(pool) > SCORED:
        pool = sorted(pool, key=lambda k: len(k.name))[:SCORED]
    return max(pool, key=lambda k: score(k, toks))
