"""Property tests: the parser returns a definition for any bytes, and the fast frontmatter path
agrees with YAML whenever it accepts text."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.parse import parse_bytes
from tui.core.yaml_fm import fast_load

ROOT = Path("/r")
KEYS = ["name", "description", "tools", "model", "level", "domain", "hooks", "x-y", "Tools"]
scalar = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(["yes", "no", "404", "1:20", "[Read", "a: b", "C# #x", "~", "'q", "- x"]),
)
line = st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(KEYS), scalar)
frontmatterish = st.builds(
    lambda lines, body, nl, closer: "---" + nl + nl.join(lines) + nl + closer + nl + body,
    st.lists(line, max_size=8),
    st.text(max_size=80),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["---", "...", ""]),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_give_a_definition(data: bytes) -> None:
    d = parse_bytes(data, ROOT / "x.md", ROOT)
    assert d.loads_in_claude_code == (d.skip_reason is None)
    if not d.loads_in_claude_code:
        assert any(x.severity.value == "error" for x in d.diagnostics)


@SETTINGS
@given(frontmatterish, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_frontmatter_shaped_text_gives_a_definition(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    d = parse_bytes(data, ROOT / "x.md", ROOT)
    for x in d.diagnostics:
        assert x.line >= 1 and x.column >= 1 and x.message


@SETTINGS
@given(st.lists(line, min_size=1, max_size=6))
def test_fast_path_agrees_with_yaml(lines: list[str]) -> None:
    text = "\n".join(lines)
    fast = fast_load(text)
    if fast is None:
        return
    assert fast[0] == yaml.load(text, Loader=yaml.CSafeLoader)
