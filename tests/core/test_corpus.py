"""Every shared corpus file, against what the real Claude Code did with it (cc_oracle.tsv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tui.core.catalog import Catalog
from tui.core.parse import parse_file
from tui.core.roots import Root, RootKind


def _oracle(corpora: Path) -> list[dict[str, str]]:
    with open(corpora / "cc_oracle.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_verdict_and_name_agree_with_claude_code_file_by_file(corpora: Path) -> None:
    disagreements = []
    rows = _oracle(corpora)
    assert len(rows) > 500
    for row in rows:
        root = corpora / row["corpus"]
        d = parse_file(root / row["relative_path"], root)
        loaded = row["cc_loaded"] == "yes"
        if d.loads_in_claude_code != loaded or (loaded and d.name != row["cc_name"]):
            disagreements.append((row["corpus"], row["relative_path"], d.skip_reason))
        if not loaded:
            assert d.skip_reason, row["relative_path"]  # we always say why
    assert disagreements == []


@pytest.mark.parametrize(
    "collection",
    [
        "VoltAgent__awesome-claude-code-subagents",
        "wshobson__agents",
        "davepoon__claude-code-subagents-collection",
        "ccasp",
        "synthetic",
    ],
)
def test_every_corpus_file_is_listed_as_agent_or_with_a_reason(
    corpora: Path, collection: str
) -> None:
    root = corpora / collection
    catalog = Catalog([Root(root, RootKind.EXTRA, 0)])
    catalog.scan(workers=1)
    on_disk = {p for p in root.rglob("*.md")}
    listed = {d.path for d in catalog.definitions()}
    assert on_disk == listed
    for d in catalog.definitions():
        assert d.is_agent or d.skip_reason, d.path


def test_skip_reasons_match_the_recorded_ones(corpora: Path) -> None:
    with open(corpora / "cc_skip_reasons.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    keywords = {
        "no frontmatter": "no frontmatter",
        "CR-only": "CR-only",
        "'...'": "`...`",
        "empty file": "empty file",
        "name missing or not a string": "not text",
        "is a list": "is a list",
        "is a str": "is a str",
        "contains ':'": "contains `:`",
        "UTF-16": "UTF-16",
    }
    for row in rows:
        root = corpora / row["corpus"]
        d = parse_file(root / row["relative_path"], root)
        expected = next(v for k, v in keywords.items() if k in row["likely_reason"])
        assert d.skip_reason and expected in d.skip_reason, (row["relative_path"], d.skip_reason)
