"""Find (issue 16 point 5): field filters combinable with free text, the problems-only view,
one meaning of "with problems", the best match at any count, zero matches said so, and the
file shown for same-name rows. Real files, a real catalog."""

from __future__ import annotations

from pathlib import Path

from tui.core.browse import Browse
from tui.core.browse_rows import depths
from tui.core.catalog import Catalog
from tui.core.roots import Root, RootKind


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def agent(folder: Path, name: str, extra: str = "", *, desc: str = "helper") -> Path:
    return write(folder / f"{name}.md", f"---\nname: {name}\ndescription: {desc}\n{extra}---\nX\n")


def browse_of(*roots: Root) -> Browse:
    catalog = Catalog(list(roots))
    catalog.scan(workers=1)
    browse = Browse(roots)
    browse.load(catalog, None, None)
    browse.view(relayout=True)
    return browse


def names(browse: Browse, query: str) -> set[str]:
    browse.set_query(query, dict)
    keep, _best = browse.matches()
    assert keep is not None
    return {r.definition.display_name for r in keep}


def corpus(tmp_path: Path) -> Browse:
    project = tmp_path / "project"
    user = tmp_path / "user"
    agent(project, "api-reviewer", "level: L3\ndomain: backend\ntools: Read, Bash\nmodel: opus\n")
    agent(project, "ui-reviewer", "level: L3\ndomain: frontend\ntools: Read\nmodel: sonnet\n")
    agent(project, "planner", "level: L1\ndomain: backend\nmodel: claude-opus-4-1\n")
    agent(project, "bad-tools", "level: L2\ndomain: backend\ntools: Raed\n")  # a warning
    write(project / "skipped.md", "---\nname: skipped\n---\nno description\n")  # skipped
    agent(user, "api-reviewer", "level: L2\ndomain: backend\n")  # same name, shadowed
    return browse_of(Root(project, RootKind.PROJECT, 0), Root(user, RootKind.USER, 1))


def test_field_filters_alone_and_combined_with_text(tmp_path: Path) -> None:
    b = corpus(tmp_path)
    assert names(b, "level:L3") == {"api-reviewer", "ui-reviewer"}
    assert names(b, "level:l3 domain:back") == {"api-reviewer"}
    assert names(b, "tool:bash") == {"api-reviewer", "planner"}  # planner: no tools key = all
    assert names(b, "model:opus") == {"api-reviewer"}
    assert names(b, "model:claude-opus") == {"planner"}
    assert "api-reviewer" in names(b, "root:user")
    assert names(b, "root:project level:L3 ui") == {"ui-reviewer"}
    assert names(b, "has:errors") == {"skipped"}
    assert {"bad-tools", "skipped"} <= names(b, "has:problems")
    assert "ui-reviewer" not in names(b, "has:problems")
    # an unknown field is free text
    assert names(b, "colour:blue") == set()


def test_one_meaning_of_with_problems(tmp_path: Path) -> None:
    b = corpus(tmp_path)
    marked = {r.definition.display_name for r in b.rows.values() if r.problem}
    assert names(b, "has:problems") == marked
    b.set_query("", dict)
    b.toggle_problems(dict)
    keep, _ = b.matches()
    assert keep is not None and {r.definition.display_name for r in keep} == marked
    assert f"{len(marked)} with problems" in browse_of_status(tmp_path)


def browse_of_status(tmp_path: Path) -> str:
    b = corpus(tmp_path)
    return b.status()


def test_zero_matches_say_so_and_best_match_at_any_count(tmp_path: Path) -> None:
    b = corpus(tmp_path)
    b.set_query("zzzz", dict)
    view = b.view()
    assert view.specs == [] and "No agent matches “zzzz”" in b.status()
    # 600 agents: more than the scored limit; the best still comes back
    many = tmp_path / "many"
    for i in range(600):
        agent(many, f"helper-{i:03d}", desc="a helper")
    agent(many, "help", desc="the one")
    big = browse_of(Root(many, RootKind.PROJECT, 0))
    big.set_query("help", dict)
    view = big.view()
    assert view.best is not None and view.best.name == "help.md"


def test_same_name_rows_show_their_root_and_file(tmp_path: Path) -> None:
    b = corpus(tmp_path)
    rows = [r for r in b.rows.values() if r.definition.name == "api-reviewer"]
    assert len(rows) == 2
    assert {r.where for r in rows} == {"project · api-reviewer.md", "user · api-reviewer.md"}
    assert all(r.where is None for r in b.rows.values() if r.definition.name == "planner")
    shown = [r for s in b.layout for _d, g in depths(s) for r in g.rows]
    assert len(shown) == len(b.rows)
