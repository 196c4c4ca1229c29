"""Issue 17 item 1, the rules without a UI: how a line is read (command, escape, plain text),
which modes /mode may pick (never above the launch), what /model accepts, and the completion
candidates (commands with help, arguments, @paths honouring .gitignore, a capped scan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.session import completion, slash
from tui.core.session.slash import Slash


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/help", Slash("help", ())),
        ("  /Model  opus ", Slash("model", ("opus",))),
        ("/x", Slash("x", ())),
        ("//help me", "/help me"),  # the escape: sends /help me
        ("/etc/hosts: what is it?", "/etc/hosts: what is it?"),  # a path, not a command
        ("see a/b and /clear", "see a/b and /clear"),  # a slash later is text
        ("/clear.", "/clear."),
    ],
)
def test_a_line_is_a_command_an_escape_or_text(line: str, expected: Slash | str) -> None:
    assert slash.parse(line) == expected


def test_unknown_commands_and_arguments_are_said() -> None:
    assert slash.unknown_text("x") == "unknown command /x — /help lists them"
    assert slash.arity_problem(Slash("clear", ("now",))) == "/clear takes no argument"
    assert slash.arity_problem(Slash("model", ("a", "b"))) is not None
    assert slash.arity_problem(Slash("model", ("opus",))) is None


@pytest.mark.parametrize(
    ("launched", "wanted", "ok"),
    [
        ("default", "acceptEdits", True),  # Shift+Tab reaches it anyway
        ("default", "plan", True),
        ("default", "bypassPermissions", False),
        ("default", "dontAsk", False),
        ("acceptEdits", "BYPASSPERMISSIONS", False),
        ("plan", "dontAsk", False),
        ("dontAsk", "dontAsk", True),  # the launch's own yes
        ("bypassPermissions", "dontAsk", True),
        ("bypassPermissions", "bypassPermissions", True),
        ("default", "auto", False),
        ("default", "yolo", False),
    ],
)
def test_mode_never_goes_above_the_launch(launched: str, wanted: str, ok: bool) -> None:
    current = "plan" if wanted.lower() != "plan" else "default"
    mode, why = slash.check_mode(wanted, current, launched)
    assert (mode is not None) is ok, why
    if not ok:
        assert why


def test_model_takes_aliases_and_free_ids_but_not_junk() -> None:
    model, said = slash.check_model("opus")
    assert model == "claude-opus-5-5" and "the alias opus" in said
    model, said = slash.check_model("claude-sonnet-4-5-20250929")
    assert model == said == "claude-sonnet-4-5-20250929"
    model, said = slash.check_model("my-proxy-model", aliases={"fast": "claude-haiku-5-5"})
    assert model == "my-proxy-model" and "the API will say" in said
    assert slash.check_model("fast", aliases={"fast": "claude-haiku-5-5"})[0] == "claude-haiku-5-5"
    assert slash.check_model("rm -rf /")[0] is None


def test_completion_offers_commands_arguments_and_paths(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("dist/\n*.tmp\n")
    (tmp_path / "dist").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("g")
    (tmp_path / "a.tmp").write_text("t")
    (tmp_path / "README.md").write_text("r")
    (tmp_path / ".env").write_text("e")
    sources = completion.Sources(tmp_path, modes=("default", "plan"), models=[("opus", "x")])
    commands = completion.candidates("/c", sources)
    assert commands is not None
    assert [(c.label, c.run) for c in commands] == [
        ("/clear", True),
        ("/compact", True),
        ("/cost", True),
    ]
    modes = completion.candidates("/mode p", sources)
    assert modes is not None and [c.insert for c in modes] == ["plan"]
    paths = completion.candidates("read @", sources)
    assert paths is not None and [c.label for c in paths] == ["docs/", "README.md"]
    assert completion.needs_disk("read @") and not completion.needs_disk("/c")
    inner = completion.candidates("read @docs/g", sources)
    assert inner is not None and [c.insert for c in inner] == ["@docs/guide.md "]
    assert completion.candidates("read @../", sources) == []  # never outside the folder
    dots = completion.candidates("@.e", sources)
    assert dots is not None and [c.label for c in dots] == [".env"]
    assert completion.candidates("plain text", sources) is None


def test_completion_reads_a_huge_folder_only_up_to_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(60):
        (tmp_path / f"f{i:03}.txt").write_text("x")
    monkeypatch.setattr(completion, "MAX_SCAN", 25)
    found = completion.candidates("@f", completion.Sources(tmp_path))
    assert found is not None and len(found) <= 25


def test_refusals_quote_at_most_a_short_piece_of_what_was_typed() -> None:
    """`/model` or `/mode` followed by 100 KB (a paste gone wrong) put all of it in the
    transcript's refusal line, and an unknown 100 KB word too."""
    huge = "x" * 100_000
    for said in (
        slash.check_model(huge)[1],
        slash.check_mode(huge, "default", "default")[1],
        slash.unknown_text(huge),
    ):
        assert len(said) < 300 and "xxx…" in said
