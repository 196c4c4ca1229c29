"""Which prefix "allow for this session" offers for a simple command, the way Claude Code does.

git status -s        -> git status:*     (program + subcommand)
npm run build        -> npm run build:*  (a runner's script name too)
ls -la               -> ls:*             (no subcommand: the program)
python3 src/a.py -v  -> python3 src/a.py:*  (interpreters: never the bare program)
python3 -c '...'     -> None             (inline code: allow once only)
"""

from __future__ import annotations

import os
import re
import shlex

# Programs that run whatever code or command they are given: never allowed by name alone.
INTERPRETERS = frozenset(
    {
        "python", "python2", "python3", "pypy", "pypy3", "bash", "sh", "zsh", "dash", "ksh",
        "fish", "csh", "tcsh", "node", "nodejs", "npx", "bunx", "pnpx", "ruby", "perl", "php",
        "deno", "bun", "uv", "uvx", "pip", "pip3", "pipx", "poetry", "pdm", "hatch", "rye",
        "conda", "java", "lua", "luajit", "Rscript", "osascript", "pwsh", "powershell", "tclsh",
        "awk", "gawk", "env", "sudo", "doas", "xargs", "exec", "eval", "nohup", "timeout", "nice",
        "command", "time", "ssh", "docker", "podman", "kubectl", "busybox", "find", "watch",
        "setsid", "stdbuf", "strace", "chroot", "script", "expect", "make", "just", "tsx",
        "ts-node", "swift", "go", "cargo", "dotnet", "julia", "scala", "groovy", "kotlin",
        # run a command given in an option or script (`sed 'e cmd'`, `tar --to-command`,
        # `rsync -e`, `less` then `!cmd`, `vim -c '!cmd'`, `sqlite3 .shell`)
        "sed", "gsed", "tar", "rsync", "zip", "less", "more", "man", "vi", "vim", "nvim",
        "emacs", "ed", "gdb", "lldb", "sqlite3", "psql", "mysql", "tmux", "screen", "scp",
        "flock", "ionice", "taskset", "unshare", "su", "runuser", "parallel",
    }
)  # fmt: skip
# Options that take the code itself: nothing reusable to allow.
_INLINE = frozenset({"-c", "-e", "--eval", "-p", "--print", "-E", "-r", "--command"})
# Options whose next word names what runs (`python3 -m pytest`).
_TAKES_NAME = frozenset({"-m", "--module"})
# Subcommands after which one more word names what runs (`npm run build`, `uv run pytest`).
_RUNNERS = frozenset({"run", "run-script", "exec", "x", "dlx", "tool", "script"})
# Programs whose first non-option word is a subcommand (`git status`, `npm test`).
SUBCOMMAND_PROGRAMS = frozenset(
    {
        "git", "npm", "yarn", "pnpm", "gh", "apt", "apt-get", "brew", "systemctl", "helm",
        "terraform", "gradle", "mvn", "rustup", "bazel", "nix", "gcloud", "aws", "az", "hg",
        "svn", "composer", "bundle", "rake", "mix", "flutter", "dart", "ng", "pod", "opam",
        "stack", "cabal", "conan", "vagrant", "heroku", "firebase", "wrangler", "vercel",
        "docker-compose", "ollama", "supabase", "turbo", "nx", "lerna",
    }
)  # fmt: skip
_SUBCOMMAND = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*")
_MAX_WORD = 80


def program_name(word: str) -> str:
    base = os.path.basename(word)
    return re.sub(r"[\d.]+$", "", base) if base.startswith(("python", "pypy", "ruby")) else base


def session_prefix(words: tuple[str, ...]) -> str | None:
    """`git status:*`-style prefix to allow for the session, or None (allow once only)."""
    if not words or any(len(w) > _MAX_WORD or "\n" in w for w in words[:4]):
        return None
    program = program_name(words[0])
    if program in INTERPRETERS:
        return _interpreter_prefix(words)
    if program in SUBCOMMAND_PROGRAMS:
        rest = [w for w in words[1:] if not w.startswith("-")]
        if not rest or not _SUBCOMMAND.fullmatch(rest[0]):
            return None  # `git -C x status`: options before the subcommand; allow once
        at = words.index(rest[0])
        if at != 1:
            return None
        if rest[0] in _RUNNERS and len(words) > 2 and _SUBCOMMAND.fullmatch(words[2]):
            return _joined(words[:3])
        return _joined(words[:2])
    return _joined(words[:1])


def _joined(words: tuple[str, ...] | list[str]) -> str:
    return " ".join(shlex.quote(w) for w in words) + ":*"


def _interpreter_prefix(words: tuple[str, ...]) -> str | None:
    """Up to and including what the interpreter runs: its script, module or subcommand."""
    kept = [words[0]]
    i = 1
    while i < len(words):
        word = words[i]
        kept.append(word)
        if word in _INLINE:
            return None
        if word in _TAKES_NAME:
            if i + 1 >= len(words):
                return None
            kept.append(words[i + 1])
            break
        if not word.startswith("-"):
            if word in _RUNNERS and i + 1 < len(words) and not words[i + 1].startswith("-"):
                kept.append(words[i + 1])
            break
        i += 1
    else:
        return None  # only options (`python3 -i`): nothing named to allow
    return _joined(kept)
