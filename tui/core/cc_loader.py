"""Claude Code's agent loader, rule by rule (DESIGN §2, measured with Claude Code 2.1.332).

Pure text work, no file I/O: where the frontmatter opens and closes, the YAML 1.2 parse (Bun's
parser in Claude Code; libyaml's C parser with YAML 1.2 core resolvers here), the one retry on a
rewritten text, and the checks on `name` and `description`. Roster's own reading (parse.py) is
built on these functions so that its verdict is Claude Code's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]

MAX_FILE_BYTES = 1024 * 1024  # Claude Code skips larger files
MAX_FRONTMATTER_CHARS = 256 * 1024  # Roster does not YAML-parse a larger frontmatter
MAX_ALIAS_NODES = 100_000  # an alias graph expanding to more values is refused
# JavaScript's `\s` (Bun's regular expressions): Python's differs on \x1c-\x1f, \x85, \ufeff.
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
JS_SPACE += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_SPACE_SET = frozenset(JS_SPACE)


@dataclass(frozen=True, slots=True)
class Fence:
    """Where Claude Code's frontmatter regex `^---\\s*\\n([\\s\\S]*?)---\\s*\\n?` matched."""

    fm_start: int  # offset of the first frontmatter character
    closer: int  # offset of the three dashes that close it
    body_start: int  # offset of the first body character (whitespace after the closer eaten)


def find_fence(text: str) -> Fence | None:
    """The opening line is `---` then JavaScript whitespace up to a newline; the closer is the
    FIRST `---` anywhere after it, even mid-line; whitespace after the closer is eaten."""
    if not text.startswith("---"):
        return None
    i = 3
    n = len(text)
    last_nl = -1
    while i < n and text[i] in _JS_SPACE_SET:
        if text[i] == "\n":
            last_nl = i
        i += 1
    if last_nl < 0:
        return None
    start = last_nl + 1  # the regex backtracks to the last newline of the whitespace run
    closer = text.find("---", start)
    if closer < 0:
        return None
    j = closer + 3
    while j < n and text[j] in _JS_SPACE_SET:
        j += 1
    return Fence(start, closer, j)


# --- YAML 1.2 core schema on libyaml's C parser -------------------------------------------


class _Resolver12(yaml.resolver.Resolver):
    """YAML 1.2 core schema: no yes/no/on/off booleans, no sexagesimal, no dates; merge keys
    (`<<: *base`) as Bun reads them (measured: Claude Code loads a name given by a merge)."""


_Resolver12.yaml_implicit_resolvers = {}
_Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
_Resolver12.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver12.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


class AliasBomb(Exception):
    """The YAML's aliases expand to more values than Roster will build."""


class _Constructor12(yaml.constructor.SafeConstructor):
    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(self.construct_scalar(node))
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        return float(str(self.construct_scalar(node)).replace("Inf", "inf").replace("INF", "inf"))

    def construct_unknown(self, node: yaml.Node) -> Any:
        """`!tag x` -> `x`, as Bun reads it: an unknown tag is dropped."""
        if isinstance(node, yaml.MappingNode):
            return self.construct_mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return self.construct_sequence(node)
        assert isinstance(node, yaml.ScalarNode)
        return self.construct_scalar(node)


_add: Any = _Constructor12.add_constructor
_add("tag:yaml.org,2002:int", _Constructor12.construct_yaml_int)
_add("tag:yaml.org,2002:float", _Constructor12.construct_yaml_float)
_add(None, _Constructor12.construct_unknown)


class Yaml12Loader(CParser, _Constructor12, _Resolver12):
    def __init__(self, stream: str) -> None:
        self.may_alias = "*" in stream  # no alias, nothing to expand: skip the count
        CParser.__init__(self, stream)
        _Constructor12.__init__(self)
        _Resolver12.__init__(self)

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        if self.may_alias:
            _check_expansion(node)
        return self.construct_document(node)


def _null(node: yaml.Node) -> yaml.ScalarNode:
    return yaml.ScalarNode("tag:yaml.org,2002:null", "", node.start_mark, node.end_mark)


def _check_expansion(root: yaml.Node) -> None:
    """Count the values the node graph expands to (aliases counted each time they are used),
    memoised per node so a billion-laughs graph is counted in time linear in its size."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                if id(child) in active:  # `a: &a [*a]`: Bun reads it; Roster keeps a null
                    node.value[i] = child = _null(child)
                total += size(child)
                if total > MAX_ALIAS_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            for i, (k, v) in enumerate(node.value):
                if id(k) in active or id(v) in active:
                    k, v = (
                        (_null(k) if id(k) in active else k),
                        (_null(v) if id(v) in active else v),
                    )
                    node.value[i] = (k, v)
                total += size(k) + size(v)
                if total > MAX_ALIAS_NODES:
                    break
        active.discard(key)
        sizes[key] = total
        if total > MAX_ALIAS_NODES:
            raise AliasBomb(f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} values")
        return total

    size(root)


_LEADING_COMMA = re.compile(r"^([A-Za-z_][^:\n]*:[ \t]+),", re.MULTILINE)
_COMMA = "\U0010fffd"  # stands for a leading `,` while libyaml reads the text


def yaml12_load(text: str) -> Any:
    """Parse like Bun: YAML 1.2 core, plus what Bun accepts and libyaml rejects that the probes
    found (a plain top-level value starting with `,`). Raises yaml.YAMLError, AliasBomb or
    RecursionError on what Claude Code would not read."""
    comma = "," in text and _LEADING_COMMA.search(text) is not None
    if comma:
        text = _LEADING_COMMA.sub(lambda m: m.group(1) + _COMMA, text)
    # libyaml refuses control characters and breaks lines at NEL/LS/PS; Bun keeps them as text
    # (measured: `description: a<BEL>b`, `a<NEL>b`, `a<LS>b` load): read them as stand-ins
    hidden = _UNREADABLE.search(text) is not None and _STAND_INS.search(text) is None
    if hidden:
        text = _UNREADABLE.sub(lambda m: chr(_STAND_IN + ord(m.group())), text)
    loader = Yaml12Loader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if comma and isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and value.startswith(_COMMA):
                data[key] = "," + value[1:]
    return _restore(data, {}) if hidden else data


_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_STAND_IN = 0xF0000  # plane-15 private use: U+F0000 + the character's code (all < U+2030)
_STAND_INS = re.compile("[\U000f0000-\U000f2030]")


def _restore(value: Any, seen: dict[int, Any]) -> Any:
    """The loaded data with each stand-in back to its character (shared values once)."""
    if isinstance(value, str):
        if _STAND_INS.search(value) is None:
            return value
        return _STAND_INS.sub(lambda m: chr(ord(m.group()) - _STAND_IN), value)
    if not isinstance(value, (list, dict)):
        return value
    if id(value) in seen:
        return seen[id(value)]
    if isinstance(value, list):
        out: Any = seen.setdefault(id(value), [])
        out.extend(_restore(v, seen) for v in value)
        return out
    out = seen.setdefault(id(value), {})
    for k, v in value.items():
        out[_restore(k, seen)] = _restore(v, seen)
    return out


# --- the retry -------------------------------------------------------------------------

# `^([a-zA-Z_-]+):\s+(.+)$` per line, with JavaScript's `\s` and `.` (no \r, \u2028, \u2029)
_RETRY_LINE = re.compile(f"^([a-zA-Z_-]+):[{JS_SPACE}]+([^\\n\\r\\u2028\\u2029]+)$")
_SPECIAL = re.compile(r"[{}\[\]*&#!|>%@`]|: ")
_LEADING_TABS = re.compile(r"^\t+", re.MULTILINE)


def _quote_value(value: str) -> str | None:
    """The quoted replacement for one retried value, or None when the line stays as it is."""
    if len(value) >= 1 and (
        (value[0] == '"' and value[-1] == '"') or (value[0] == "'" and value[-1] == "'")
    ):
        return None
    if value.startswith("[") and value.endswith("]"):
        try:
            if isinstance(yaml12_load(value), list):
                return None
        except (yaml.YAMLError, AliasBomb, RecursionError, ValueError):
            pass
    if not _SPECIAL.search(value):
        return None
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def retry_text(fm: str) -> tuple[str, list[int]]:
    """Claude Code's rewrite after a failed parse, and the 0-based lines whose value it quoted."""
    out: list[str] = []
    quoted: list[int] = []
    for i, line in enumerate(fm.split("\n")):
        m = _RETRY_LINE.match(line)
        if m:
            # the regex's `\s+` is greedy: the value starts at the first non-space character
            # unless only spaces follow (then `.+` takes the last one)
            key, value = m.group(1), m.group(2)
            replacement = _quote_value(value)
            if replacement is not None:
                out.append(f"{key}: {replacement}")
                quoted.append(i)
                continue
        out.append(line)
    text = "\n".join(out)
    if "\t" in text:
        text = _LEADING_TABS.sub(lambda t: "  " * len(t.group(0)), text)
    return text, quoted


# --- name and description -----------------------------------------------------------------

# `name`: its rules live in tui.core.names (one set for validate and the dialogs)


def yaml_quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML 1.2)."""
    return json.dumps(value, ensure_ascii=False)


def description_as_loaded(desc: str) -> str:
    """Claude Code turns a literal backslash-n in the description into a newline."""
    return desc.replace("\\n", "\n")
