"""Secrets: what must never leave Roster through a tool, and the private history files.

A tool result is untrusted text that may hold a secret (a child process can read
`/proc/$PPID/environ`, a `.env` file, a private key). `Redactor.redact` removes the API key,
the values listed under `[secrets]` in config, and common token shapes before a result is
stored, shown or sent to the model. `scrubbed_env` is the environment Bash gets: no
`ANTHROPIC_*` variable and no variable holding a listed secret.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

REDACTED = "[REDACTED]"
KEY_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")
MIN_SECRET_CHARS = 6  # shorter values would redact ordinary words
# Token shapes that are secrets wherever they appear.
TOKEN_PATTERNS = (
    r"sk-ant-[A-Za-z0-9_\-]{8,}",
    r"gh[pousr]_[A-Za-z0-9]{20,}",
    r"github_pat_[A-Za-z0-9_]{20,}",
    r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
    r"xox[abpr]-[A-Za-z0-9\-]{10,}",
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)",
)
_PATTERNS = re.compile("|".join(f"(?:{p})" for p in TOKEN_PATTERNS))


def key_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """The API credentials this process holds (from the environment)."""
    env = os.environ if environ is None else environ
    return [env[name] for name in KEY_ENV if env.get(name)]


class Redactor:
    """Replaces known secret values and token shapes with `[REDACTED]`."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        kept = sorted({v for v in values if len(v) >= MIN_SECRET_CHARS}, key=len, reverse=True)
        self.values: tuple[str, ...] = tuple(kept)
        literal = "|".join(re.escape(v) for v in kept)
        self._regex = re.compile(f"{literal}|{_PATTERNS.pattern}" if literal else _PATTERNS.pattern)

    @classmethod
    def for_session(cls, api_key: str | None = None, extra: Iterable[str] = ()) -> Redactor:
        """The key in use, the credentials in the environment, and the configured secrets."""
        values = [*key_values(), *extra]
        if api_key:
            values.append(api_key)
        return cls(values)

    def redact(self, text: str) -> str:
        return self._regex.sub(REDACTED, text) if text else text


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """One-off redaction with the environment's key and token shapes (exports, JSON lines)."""
    return Redactor.for_session(None, extra).redact(text)


def scrubbed_env(
    secrets: Iterable[str] = (), environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment for a child: no ANTHROPIC_* variables, none holding a listed secret."""
    env = os.environ if environ is None else environ
    values = [v for v in (*secrets, *key_values(env)) if len(v) >= MIN_SECRET_CHARS]
    return {
        name: value
        for name, value in env.items()
        if not name.startswith("ANTHROPIC_") and not any(v in value for v in values)
    }


def make_private(path: Path, *, folder: bool = True) -> None:
    """The history database (and its -wal/-shm files) 0600, its folder 0700 (owner only).

    Best effort: a filesystem without modes (or a file owned by someone else) is left alone.
    """
    if folder:
        with contextlib.suppress(OSError):
            os.chmod(path.parent, 0o700)
    if not path.exists():
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            if stat.S_IMODE(candidate.stat().st_mode) & 0o077:
                os.chmod(candidate, 0o600)


def hide_from_proc(secrets: Iterable[str] = ()) -> int:
    """Overwrite, in this process's original environment block, the values of ANTHROPIC_*
    variables and of variables holding a listed secret, so a child reading
    `/proc/$PPID/environ` finds `****` (Linux; best effort). `os.environ` keeps its copy.
    Returns how many values were hidden."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end (fields 50, 51)
        if not 0 < start < end or end - start > 1 << 20:
            return 0
        import ctypes

        block = ctypes.string_at(start, end - start)
    except (OSError, ValueError, IndexError):
        return 0
    values = [v.encode() for v in secrets if len(v) >= MIN_SECRET_CHARS]
    hidden = 0
    offset = 0
    for entry in block.split(b"\0"):
        name, eq, value = entry.partition(b"=")
        secret = name.startswith(b"ANTHROPIC_") or any(v in value for v in values)
        if eq and value and secret and value.strip(b"*"):
            ctypes.memset(start + offset + len(name) + 1, ord("*"), len(value))
            hidden += 1
        offset += len(entry) + 1
    return hidden
