"""Usage totals: the one place that adds up tokens and cost and says them.

"Input" means everything the model read: new input + cache reads + cache writes (the API
reports the three apart; cache writes are billed at 1.25x, reads at 0.1x, see pricing.py).
The status line, the history list, the export and `--json` all use `UsageTotals`, so a
session shows the same figures everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class UsageTotals:
    new_input: int = 0  # input tokens not read from or written to the cache
    cache_read: int = 0
    cache_write: int = 0
    output: int = 0
    cost_usd: float | None = None  # None: no response priced (unknown model, DEMO)
    responses: int = 0

    @property
    def input(self) -> int:
        return self.new_input + self.cache_read + self.cache_write

    def plus(self, usage: Mapping[str, Any]) -> UsageTotals:
        """Add one response's usage (a `Usage` event as `to_json` gives it)."""
        cost = usage.get("cost_usd")
        total = self.cost_usd
        if isinstance(cost, int | float):
            total = (total or 0.0) + float(cost)
        return replace(
            self,
            new_input=self.new_input + int(usage.get("input_tokens") or 0),
            cache_read=self.cache_read + int(usage.get("cache_read_input_tokens") or 0),
            cache_write=self.cache_write + int(usage.get("cache_creation_input_tokens") or 0),
            output=self.output + int(usage.get("output_tokens") or 0),
            cost_usd=total,
            responses=self.responses + 1,
        )

    def add(self, other: UsageTotals) -> UsageTotals:
        """Both together (a session and its children)."""
        costs = [c for c in (self.cost_usd, other.cost_usd) if c is not None]
        return UsageTotals(
            new_input=self.new_input + other.new_input,
            cache_read=self.cache_read + other.cache_read,
            cache_write=self.cache_write + other.cache_write,
            output=self.output + other.output,
            cost_usd=sum(costs) if costs else None,
            responses=self.responses + other.responses,
        )

    @classmethod
    def of(cls, usages: Iterable[Mapping[str, Any]]) -> UsageTotals:
        totals = cls()
        for usage in usages:
            totals = totals.plus(usage)
        return totals

    def cost_text(self) -> str:
        return f"${self.cost_usd:.4f}" if self.cost_usd is not None else "$—"

    def line(self, *, short: bool = False) -> str:
        """`2,500 in (1,400 new · 700 cache read · 400 cache write) · 350 out · $0.0123`;
        `short`: `2.5k in (700 cache read · 400 cache write) · 350 out · $0.0123`, the cache
        parts only when not zero."""
        n = _short if short else _long
        head = f"{n(self.input)} in"
        if not short:
            head += (
                f" ({n(self.new_input)} new · {n(self.cache_read)} cache read · "
                f"{n(self.cache_write)} cache write)"
            )
        elif self.cache_read or self.cache_write:
            parts = [(self.cache_read, "cache read"), (self.cache_write, "cache write")]
            head += " (" + " · ".join(f"{n(v)} {what}" for v, what in parts if v) + ")"
        return f"{head} · {n(self.output)} out · {self.cost_text()}"

    def to_json(self) -> dict[str, Any]:
        return {
            "input_tokens": self.input,
            "new_input_tokens": self.new_input,
            "cache_read_input_tokens": self.cache_read,
            "cache_creation_input_tokens": self.cache_write,
            "output_tokens": self.output,
            "cost_usd": self.cost_usd,
        }


def _long(n: int) -> str:
    return f"{n:,}"


def _short(n: int) -> str:
    if n < 1000:
        return str(n)
    if n < 100_000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1000:.0f}k"
