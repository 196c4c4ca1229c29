"""Token prices (USD per million tokens) and the cost of one response's usage.

The table is a default; callers may pass their own (from config). Cache writes are priced at
1.25x input (5-minute cache) and cache reads at 0.1x input, as the API bills them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Price:
    input: float
    output: float

    @property
    def cache_write(self) -> float:
        return self.input * 1.25

    @property
    def cache_read(self) -> float:
        return self.input * 0.1


# Matched by prefix, longest first. Assumed list prices; override from config when they change.
DEFAULT_PRICES: dict[str, Price] = {
    "claude-opus-4-1": Price(15.0, 75.0),
    "claude-opus-4-0": Price(15.0, 75.0),
    "claude-opus": Price(5.0, 25.0),
    "claude-sonnet": Price(3.0, 15.0),
    "claude-haiku-3": Price(0.8, 4.0),
    "claude-haiku": Price(1.0, 5.0),
    "claude-fable": Price(3.0, 15.0),
    "claude-mythos": Price(25.0, 125.0),
}


def price_for(model: str, table: Mapping[str, Price] | None = None) -> Price | None:
    prices = table if table is not None else DEFAULT_PRICES
    for prefix in sorted(prices, key=len, reverse=True):
        if model.startswith(prefix):
            return prices[prefix]
    return None


def cost_usd(
    model: str,
    *,
    input_tokens: int,
    output_tokens: int,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
    table: Mapping[str, Price] | None = None,
) -> float | None:
    """Cost in USD, or None for a model with no known price."""
    price = price_for(model, table)
    if price is None:
        return None
    total = (
        input_tokens * price.input
        + output_tokens * price.output
        + cache_creation_input_tokens * price.cache_write
        + cache_read_input_tokens * price.cache_read
    )
    return total / 1_000_000
