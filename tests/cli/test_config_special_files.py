"""config.toml that is not a plain file: `roster` (every subcommand reads it first) must not
hang on a FIFO nor read a link to an endless device; defaults, and a problem naming the file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tui.config import Settings, load_settings


def _load_in_thread(path: Path) -> Settings | None:
    out: list[Settings] = []
    thread = threading.Thread(target=lambda: out.append(load_settings(path)), daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # a writer opens and closes the FIFO: unblocks it, then fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        return None
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_as_config_does_not_hang_roster(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    settings = _load_in_thread(path)
    assert settings is not None, "load_settings blocked on a FIFO"
    assert settings.default_model == Settings().default_model
    assert any(str(path) in p and "FIFO" in p for p in settings.problems)


def test_a_huge_config_is_refused_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\ndefault_model = 'opus'\n")
    settings = load_settings(path)
    assert settings.default_model == Settings().default_model
    assert any(str(path) in p and "KiB" in p for p in settings.problems)


def test_a_deeply_nested_config_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    # tomllib recurses once per `[`: RecursionError, not TOMLDecodeError, ended every
    # `roster` command (the config is read first) with a traceback
    path = tmp_path / "config.toml"
    path.write_text("default_model = 'opus'\na = " + "[" * 5000 + "\n")
    settings = load_settings(path)
    assert settings.default_model == Settings().default_model
    assert any(str(path) in p and "nested" in p for p in settings.problems)


def test_a_broken_config_is_named_on_stderr_by_every_command(tmp_path: Path) -> None:
    """The app shows the config's problems as notifications; the commands said nothing, so a
    typo in config.toml silently dropped its [permissions] deny rules and [secrets] for
    `roster run`. Now every command names the file and what it does instead."""
    from tests.helpers.catalog import roster

    config = Path(os.environ["ROSTER_CONFIG"])
    config.write_text('[permissions]\ndeny = ["Bash(rm *)"\n')  # the closing ] is missing
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "ok.md").write_text("---\nname: ok\ndescription: d\n---\nb\n")
    for command in (("list",), ("validate",), ("history",)):
        out = roster(*command, "--agents-dir", str(agents), "--no-user", "--no-project")
        assert out.returncode == 0, out.stderr
        assert f"roster: {config}:" in out.stderr and "using defaults" in out.stderr, command
    assert "ok" in roster("list", "--agents-dir", str(agents), "--no-user").stdout
