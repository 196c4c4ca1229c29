"""Level and domain inferred per DESIGN §4, each with its source; shares on real collections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core import infer
from tui.core.catalog import Catalog
from tui.core.parse import parse_bytes
from tui.core.roots import Root, RootKind

ROOT = Path("/agents")

# 40 names read by hand: what a person expects the tree to say
HAND_CHECKED: list[tuple[str, str | None, str]] = [
    ("react-expert", "L2", "frontend"),
    ("django-expert", "L2", "backend"),
    ("postgres-expert", "L2", "data"),
    ("tech-lead-orchestrator", "L1", "orchestration"),
    ("test-runner", "L3", "testing"),
    ("vue-specialist", "L2", "frontend"),
    ("angular-architect", "L2", "frontend"),
    ("svelte-developer", "L2", "frontend"),
    ("rails-engineer", "L2", "backend"),
    ("fastapi-pro", "L2", "backend"),
    ("spring-boot-engineer", "L2", "backend"),
    ("express-api-developer", "L2", "backend"),
    ("mysql-administrator", "L2", "data"),
    ("mongodb-expert", "L2", "data"),
    ("etl-engineer", "L2", "data"),
    ("docker-expert", "L2", "deployment"),
    ("kubernetes-architect", "L2", "deployment"),
    ("terraform-engineer", "L2", "deployment"),
    ("aws-consultant", "L2", "deployment"),
    ("ci-fixer", "L3", "deployment"),
    ("ios-developer", "L2", "mobile"),
    ("android-engineer", "L2", "mobile"),
    ("flutter-developer", "L2", "mobile"),
    ("pytorch-engineer", "L2", "ai"),
    ("llm-architect", "L2", "ai"),
    ("security-auditor", "L2", "security"),
    ("pentest-specialist", "L2", "security"),
    ("qa-engineer", "L2", "testing"),
    ("e2e-test-writer", "L2", "testing"),
    ("api-documenter", "L2", "docs"),
    ("markdown-formatter", "L3", "docs"),
    ("epic-orchestrator", "L0", "orchestration"),
    ("roadmap-orchestrator", "L0", "orchestration"),
    ("agent-organizer", "L1", "orchestration"),
    ("multi-agent-coordinator", "L1", "orchestration"),
    ("backend-worker", "L3", "backend"),
    ("product-manager", "L2", "business"),
    ("seo-content-writer", "L2", "business"),
    ("golang-pro", "L2", "languages"),
    ("full-stack-orchestration-deployment-engineer", "L2", "deployment"),
]


def agent(name: str, description: str = "Helps.", extra: str = "", path: str = "x.md") -> bytes:
    return f"---\nname: {name}\ndescription: {description}\n{extra}---\nbody\n".encode()


def parse(data: bytes, rel: str = "x.md") -> object:
    return parse_bytes(data, ROOT / rel, ROOT)


@pytest.mark.parametrize(("name", "level", "domain"), HAND_CHECKED)
def test_hand_checked_names_land_where_a_reader_expects(
    name: str, level: str | None, domain: str
) -> None:
    d = parse_bytes(agent(name), ROOT / f"{name}.md", ROOT)
    assert (d.level, d.domain) == (level, domain)
    assert d.level_inferred and d.domain_inferred
    assert d.domain_note == f"inferred from the name `{name}`"


def test_there_are_forty_hand_checked_names() -> None:
    assert len({n for n, _, _ in HAND_CHECKED}) == 40


def test_a_key_in_the_file_always_wins() -> None:
    d = parse_bytes(agent("react-expert", extra="level: L3\ndomain: ops\n"), ROOT / "x.md", ROOT)
    assert (d.level, d.domain, d.level_note, d.domain_note) == ("L3", "ops", "", "")


def test_read_tools_and_agent_make_a_coordinator() -> None:
    d = parse_bytes(agent("planner-bot", extra="tools: Read, Grep, Agent\n"), ROOT / "x.md", ROOT)
    assert d.level == "L1" and "its tools" in d.level_note


def test_a_description_that_organizes_other_agents_is_l1() -> None:
    d = parse_bytes(
        agent("helper", "Coordinates specialist sub-agents across a feature."),
        ROOT / "x.md",
        ROOT,
    )
    assert d.level == "L1" and d.level_note.startswith("inferred from the description")


def test_the_folder_gives_a_domain_when_the_name_does_not() -> None:
    d = parse_bytes(agent("helper"), ROOT / "03-infrastructure" / "helper.md", ROOT)
    assert (
        d.domain == "deployment" and d.domain_note == "inferred from the folder `03-infrastructure`"
    )
    d2 = parse_bytes(agent("helper"), ROOT / "09-quantum-stuff" / "helper.md", ROOT)
    assert d2.domain == "quantum stuff"


def test_general_and_unleveled_only_when_nothing_fits() -> None:
    d = parse_bytes(agent("zork", "Does zork."), ROOT / "zork.md", ROOT)
    assert (d.level, d.domain) == (None, "general")


@pytest.fixture
def user_words() -> Iterator[None]:
    infer.configure({"L3": ["zapper"]}, {"frontend": ["htmx"]})
    yield
    infer.configure()


def test_the_word_tables_extend_from_config(user_words: None) -> None:
    d = parse_bytes(agent("htmx-zapper"), ROOT / "x.md", ROOT)
    assert (d.level, d.domain) == ("L3", "frontend")


def test_config_infer_tables_are_read(tmp_path: Path) -> None:
    from tui.config import load_settings

    path = tmp_path / "c.toml"
    path.write_text(
        '[infer.levels]\nL3 = ["zapper"]\nL9 = ["x"]\n[infer.domains]\nweb = ["htmx"]\n'
    )
    s = load_settings(path)
    assert s.infer_levels == {"L3": ("zapper",)} and s.infer_domains == {"web": ("htmx",)}
    assert any("L9" in p for p in s.problems)


@pytest.mark.parametrize(
    "collection",
    [
        "VoltAgent__awesome-claude-code-subagents",
        "wshobson__agents",
        "davepoon__claude-code-subagents-collection",
        "ccasp",
    ],
)
def test_most_agents_of_a_real_collection_get_a_level_and_few_fall_in_general(
    corpora: Path, collection: str
) -> None:
    catalog = Catalog([Root(corpora / collection, RootKind.EXTRA, 0)])
    catalog.scan(workers=1)
    agents = [d for d in catalog.agents() if d.loads_in_claude_code]
    leveled = sum(1 for d in agents if d.level) / len(agents)
    general = sum(1 for d in agents if d.domain == "general") / len(agents)
    assert leveled >= 0.70, leveled
    assert general <= 0.25, general
    for d in agents:  # every inferred value says where it came from
        assert not d.level_inferred or d.level_note.startswith("inferred from ")
        assert not d.domain_inferred or d.domain_note.startswith("inferred from ")
