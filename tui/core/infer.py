"""Level and domain inferred from everything a definition says (DESIGN §4), each value with the
place it came from: "inferred from the name `react-expert`".

Most public collections have neither `level` nor `domain`; a key in the file always wins. The
word tables are plain data; users extend them in config (`[infer]`), see `configure`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

# role words -> level (checked on the name's words, then on the folder's, then the description)
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "L0": ("epic", "roadmap", "portfolio", "program-manager"),
    "L1": (
        "orchestrator", "orchestrate", "orchestration", "coordinator", "organizer", "conductor",
        "dispatcher", "delegator", "supervisor", "team-lead", "tech-lead", "lead",
        "distributor", "router",
    ),
    "L3": (
        "runner", "checker", "linter", "formatter", "searcher", "fetcher", "worker", "scraper",
        "extractor", "transcriber", "validator", "verifier", "tagger", "fixer", "installer",
        "clarifier", "generator", "publisher", "navigator", "hunter", "scout",
    ),
    "L2": (
        "expert", "specialist", "developer", "engineer", "architect", "reviewer", "auditor",
        "analyst", "pro", "master", "designer", "writer", "consultant", "advisor", "scientist",
        "researcher", "strategist", "optimizer", "administrator", "admin", "manager", "tester",
        "debugger", "detective", "responder", "modernizer", "automator", "integrator", "coder",
        "copywriter", "marketer", "documenter", "builder", "planner", "crafter", "editor",
        "synthesizer", "trader", "judge", "analyzer", "maintainer", "creator", "guardian",
        "implementer", "troubleshooter", "agent", "review", "qa", "seo",
    ),
}  # fmt: skip
# description phrases that say what the agent does with other agents
_L0_TEXT = re.compile(r"\b(epics?|roadmaps?|multi-phase programs?)\b.{0,80}\borchestrat", re.I)
_L1_TEXT = re.compile(
    r"\b(orchestrat\w*|coordinat\w*|delegat\w*|dispatch\w*|organiz\w*|manag\w*|assign\w*)\b"
    r"[^.]{0,60}\b(sub-?agents?|agents|specialists|workers|teams? of)\b",
    re.I,
)
_L2_TEXT = re.compile(r"\b(expert|specialist|specializing|specialized|expertise|master)\b", re.I)
_L3_TEXT = re.compile(r"\b(single[- ]task|one task|worker agent|executes? a single)\b", re.I)

# technology and topic words -> domain; more specific tables first
DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "frontend": (
        "react", "vue", "angular", "svelte", "css", "nextjs", "next.js", "nuxt", "redux",
        "zustand", "pinia", "tailwind", "html", "frontend", "front-end", "ui", "ux", "web",
        "electron", "accessibility", "a11y", "design-system",
    ),
    "backend": (
        "django", "rails", "express", "fastapi", "flask", "spring", "spring-boot", "laravel",
        "symfony", "nestjs", "node", "graphql", "api", "rest", "microservices", "backend",
        "back-end", "websocket", "grpc", "wordpress", "drupal", "directus", "php", "fullstack",
        "full-stack", "payment", "payments", "temporal", "event-sourcing",
    ),
    "data": (
        "postgres", "postgresql", "mysql", "mongo", "mongodb", "redis", "sql", "etl", "database",
        "prisma", "data", "analytics", "warehouse", "dbt", "spark", "vector-database",
        "cohort", "ab-test",
    ),
    "deployment": (
        "docker", "kubernetes", "k8s", "terraform", "terragrunt", "aws", "azure", "gcp", "ci",
        "cicd", "devops", "cloud", "deployment", "deploy", "infra", "infrastructure", "sre",
        "platform", "cloudflare", "railway", "network", "observability", "incident", "helm",
        "service-mesh", "build", "m365", "windows-infra", "it-ops", "chaos",
    ),
    "mobile": (
        "ios", "android", "swift", "kotlin", "flutter", "react-native", "expo", "mobile",
    ),
    "ai": (
        "pytorch", "tensorflow", "llm", "llms", "ml", "machine-learning", "mlops", "ai", "nlp",
        "prompt", "rag", "reinforcement-learning", "finetuning", "eval",
    ),
    "security": (
        "security", "pentest", "penetration", "threat", "malware", "compliance", "gdpr",
        "hipaa", "vulnerability", "reverse-engineer", "firmware",
    ),
    "testing": (
        "test", "tests", "testing", "qa", "tdd", "playwright", "vitest", "jest", "cypress",
        "e2e", "debugger", "debugging", "error", "quality",
    ),
    "docs": (
        "docs", "documentation", "documenter", "writing", "readme", "tutorial",
        "technical-writer", "docusaurus", "markdown", "mermaid",
    ),
    "business": (
        "product", "business", "marketing", "marketer", "sales", "legal", "finance", "seo",
        "content", "customer", "startup", "scrum", "backlog", "growth", "hr", "risk", "quant",
        "trading", "crypto", "defi", "podcast", "social", "copywriter", "market",
    ),
    "languages": (
        "python", "golang", "go", "rust", "java", "javascript", "typescript", "cpp", "c",
        "csharp", "dotnet", "ruby", "elixir", "scala", "haskell", "julia", "bash", "shell",
        "powershell", "posix", "php-pro",
    ),
    "research": ("research", "researcher", "literature", "trend", "synthesizer"),
    "orchestration": (
        "orchestration", "orchestrator", "orchestrate", "coordinator", "organizer", "agents",
        "multi-agent", "context", "conductor",
    ),
}  # fmt: skip
# Word that decides the domain first wins within a name: frameworks before languages, so
# `django-expert` is backend and `python-pro` languages.
_DOMAIN_ORDER = (
    "mobile", "frontend", "backend", "data", "ai", "deployment", "security", "testing", "docs",
    "business", "research", "languages", "orchestration",
)  # fmt: skip
GENERIC_DIRS = frozenset(
    {"agents", ".claude", "claude", "templates", "categories", "plugins", "subagents", "src"}
)
_SPLIT = re.compile(r"[-_\s./]+")
_DIGITS = re.compile(r"^\d+[-_. ]*")
_WORD = re.compile(r"[a-z][a-z0-9+#.]*(?:-[a-z0-9]+)*")

_extra_levels: dict[str, tuple[str, ...]] = {}
_extra_domains: dict[str, tuple[str, ...]] = {}


def configure(
    levels: Mapping[str, Sequence[str]] | None = None,
    domains: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Add the user's words (config `[infer.levels]` / `[infer.domains]`); they are checked
    before the built-in ones. Call before scanning (forked scan workers inherit it)."""
    _extra_levels.clear()
    _extra_domains.clear()
    for level, words in (levels or {}).items():
        _extra_levels[level.upper()] = tuple(w.lower() for w in words)
    for domain, words in (domains or {}).items():
        _extra_domains[domain.lower()] = tuple(w.lower() for w in words)
    _build_indexes()


@dataclass(frozen=True, slots=True)
class Inferred:
    value: str
    source: str  # "the name `react-expert`", "the folder `09-meta-orchestration`", ...


def _words(text: str) -> list[str]:
    return [p for p in _SPLIT.split(_DIGITS.sub("", text.lower())) if p]


def _phrases(text: str) -> list[str]:
    """Words and hyphenated pairs of a name: `tech-lead-orchestrator` -> tech, lead,
    orchestrator, tech-lead, lead-orchestrator."""
    parts = _words(text)
    return parts + [f"{a}-{b}" for a, b in itertools.pairwise(parts)]


def _from_the_end(parts: list[str]) -> Iterator[str]:
    """A name's phrases from its end (the head noun of `deployment-engineer` is last; wshobson
    prefixes names with their plugin): at each word its pair with the previous word first."""
    for i in range(len(parts) - 1, -1, -1):
        if i > 0:
            yield f"{parts[i - 1]}-{parts[i]}"
        yield parts[i]


_level_index: dict[str, str] = {}
_domain_index: dict[str, str] = {}


def _build_indexes() -> None:
    """word -> level / domain; the user's words first, then the built-in tables in order."""
    _level_index.clear()
    _domain_index.clear()
    for level, table in (*_extra_levels.items(), *LEVEL_WORDS.items()):
        for word in table:
            _level_index.setdefault(word, level)
    tables = (*_extra_domains.items(), *((d, DOMAIN_WORDS[d]) for d in _DOMAIN_ORDER))
    for domain, table in tables:
        for word in table:
            _domain_index.setdefault(word, domain)


def _level_of(word: str) -> str | None:
    return _level_index.get(word)


def _domain_of(word: str) -> str | None:
    return _domain_index.get(word)


def _name_level(name: str) -> str | None:
    """The role the name ends with (`tech-lead-orchestrator` -> L1), else any role word in it;
    an orchestrator of epics or roadmaps is L0."""
    parts = _words(name)
    for phrase in _from_the_end(parts):
        level = _level_of(phrase)
        if level is not None:
            if level == "L1" and any(_level_of(w) == "L0" for w in parts):
                return "L0"
            return level
    return None


_READ_TOOLS = frozenset({"Read", "Grep", "Glob", "LS", "WebFetch", "WebSearch", "TodoWrite"})
_AGENT_TOOLS = frozenset({"Agent", "Task"})
_HASH = re.compile(r"^[0-9a-f]{7,40}$")


def infer_level(
    name: str | None,
    description: str | None,
    tools: Sequence[str] | None,
    folders: Sequence[str],
) -> Inferred | None:
    named = _name_level(name) if name else None
    if name:
        prefix = re.match(r"^[lL]([0-3])[-_]", name)
        if prefix:
            return Inferred(f"L{prefix.group(1)}", f"the name prefix `{name[:3]}`")
        if named is not None and named != "L2":
            return Inferred(named, f"the name `{name}`")
    if tools is not None:
        bases = {t.split("(", 1)[0].strip() for t in tools}
        if bases & _AGENT_TOOLS and bases <= _READ_TOOLS | _AGENT_TOOLS:
            return Inferred("L1", "its tools (only read tools and `Agent`: a coordinator)")
    text = (description or "")[:600]
    if _L0_TEXT.search(text):
        return Inferred("L0", "the description (plans epics or roadmaps)")
    m = _L1_TEXT.search(text)
    if m:
        return Inferred("L1", f"the description (“{m.group(0)[:60]}”)")
    if named is not None:
        return Inferred(named, f"the name `{name}`")
    for folder in reversed(folders):
        level = next(filter(None, map(_level_of, _phrases(folder))), None)
        if level is not None and level != "L2":
            return Inferred(level, f"the folder `{folder}`")
    if _L3_TEXT.search(text):
        return Inferred("L3", "the description (a single task)")
    m2 = _L2_TEXT.search(text[:300])
    if m2:
        return Inferred("L2", f"the description (“{m2.group(0)}”)")
    return None


def infer_domain(
    name: str | None,
    description: str | None,
    frameworks: Sequence[str],
    folders: Sequence[str],
) -> Inferred | None:
    """Domain from the name's words (last first), the frameworks, the folders (nearest
    first), then the description's first technology word."""
    if name:
        for phrase in _from_the_end(_words(name)):
            domain = _domain_of(phrase)
            if domain:
                return Inferred(domain, f"the name `{name}`")
    for fw in frameworks:
        domain = next(filter(None, map(_domain_of, _phrases(fw))), None)
        if domain:
            return Inferred(domain, f"the framework `{fw}`")
    for folder in reversed(folders):
        if folder.lower() in GENERIC_DIRS or folder.startswith("_") or _HASH.match(folder):
            continue
        for phrase in _from_the_end(_words(folder)):
            domain = _domain_of(phrase)
            if domain:
                return Inferred(domain, f"the folder `{folder}`")
        return Inferred(humanise_folder(folder), f"the folder `{folder}`")
    if description:
        for word in _WORD.findall(description[:300].lower()):
            domain = _domain_of(word)
            if domain:
                return Inferred(domain, f"the description (“{word}”)")
    return None


def humanise_folder(name: str) -> str:
    """`02-language-specialists` -> `language specialists`."""
    cleaned = _DIGITS.sub("", name).replace("-", " ").replace("_", " ").strip()
    return cleaned.lower() or name.lower()


_build_indexes()
