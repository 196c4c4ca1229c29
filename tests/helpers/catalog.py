"""Helpers the catalog tests share: running `roster` as a subprocess, hostile and broken files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def roster(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


# 494 bytes of YAML whose aliases expand to 10^9 values
BOMB = (
    "---\nname: bomb\ndescription: d\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "---\nbody\n"
)

BROKEN_SHAPE = (
    "---\nname: brand-guardian\ndescription: Use this agent when x. Examples:\n\n<example>\n"
    'Context: the user wants a logo\nuser: "Make a logo"\nassistant: "I will use it"\n'
    "<commentary>\nBrand work: yes.\n</commentary>\n</example>\ntools: Read, Grep\n---\nBody.\n"
)

INTENDED = (
    "Use this agent when x. Examples:\n\n<example>\nContext: the user wants a logo\n"
    'user: "Make a logo"\nassistant: "I will use it"\n<commentary>\nBrand work: yes.\n'
    "</commentary>\n</example>"
)
