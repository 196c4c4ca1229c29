"""What the tree shows, without an app: grouping, the filter, expansion, the progressive fill,
following a renamed file, and the status line. Real files, a real catalog."""

from __future__ import annotations

import os
from pathlib import Path

from tui.core.browse import PROBLEMS_KEY, SMALL_CATALOG, Browse, GroupSpec, depths
from tui.core.catalog import Catalog, ChangeKind
from tui.core.roots import Root, RootKind, bundled_agents_dir
from tui.core.tree_model import GroupBy


def agent(path: Path, name: str, *, level: str = "L2", domain: str = "backend") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\nname: {name}\ndescription: {name} helper\nlevel: {level}\n"
        f"domain: {domain}\n---\n\nYou are {name}.\n",
        encoding="utf-8",
    )
    return path


def loaded(*roots: Path) -> tuple[Browse, Catalog]:
    catalog = Catalog([Root(r, RootKind.EXTRA, i) for i, r in enumerate(roots)])
    catalog.scan(workers=1)
    browse = Browse()
    browse.load(catalog, None, None)
    return browse, catalog


def shown(specs: list[GroupSpec]) -> dict[str, list[str]]:
    """group key -> names of the rows it shows directly."""
    return {
        g.key: [r.definition.display_name for r in g.rows]
        for spec in specs
        for _depth, g in depths(spec)
    }


def test_groups_level_then_domain_and_indexes_each_rows_chain(tmp_path: Path) -> None:
    a = agent(tmp_path / "a.md", "api-builder")
    agent(tmp_path / "b.md", "ui-polisher", level="L3", domain="frontend")
    (tmp_path / "broken.md").write_text("no frontmatter at all\n", encoding="utf-8")
    browse, _ = loaded(tmp_path)
    view = browse.view(relayout=True)
    groups = shown(view.specs)
    assert groups["level:L2/domain:backend"] == ["api-builder"]
    assert groups["level:L3/domain:frontend"] == ["ui-polisher"]
    assert PROBLEMS_KEY in groups  # the file that is not an agent, in its own group
    assert browse.chains[a] == ("level:L2", "level:L2/domain:backend")
    assert browse.status() == "2 agents · 1 with problems · by level → domain"
    assert browse.subtitle(1) == "2 agents in 1 root"
    assert browse.count() == ""  # no filter, no counter


def test_grouping_switch_regroups_and_forgets_saved_expansion(tmp_path: Path) -> None:
    agent(tmp_path / "a.md", "api-builder")
    agent(tmp_path / "b.md", "ui-polisher", level="L3", domain="frontend")
    browse, _ = loaded(tmp_path)
    browse.view(relayout=True)
    browse.saved_expansion = {"level:L2": False}
    assert browse.next_grouping() is GroupBy.DOMAIN
    assert browse.set_grouping(GroupBy.DOMAIN)
    assert not browse.set_grouping(GroupBy.DOMAIN)  # no change, nothing to redo
    assert browse.saved_expansion is None
    groups = shown(browse.view(relayout=True).specs)
    assert groups == {"domain:backend": ["api-builder"], "domain:frontend": ["ui-polisher"]}
    assert browse.status().endswith("by domain")


def test_filter_keeps_matches_reveals_the_best_and_restores_expansion(tmp_path: Path) -> None:
    best = agent(tmp_path / "a.md", "test-runner", level="L3", domain="testing")
    agent(tmp_path / "b.md", "api-builder")
    agent(tmp_path / "c.md", "contest-judge", level="L1", domain="quality")
    browse, _ = loaded(tmp_path)
    browse.view(relayout=True)
    before = {"level:L1": False, "level:L2": True, "level:L3": False}
    assert browse.set_query("test", lambda: before)
    view = browse.view()
    names = {n for rows in shown(view.specs).values() for n in rows}
    assert names == {"test-runner", "contest-judge"}
    assert view.best == best and view.force_expand is True  # few matches: open them all
    assert browse.count() == "2/3"
    assert not browse.set_query("test ", lambda: {})  # same query once stripped
    assert browse.set_query("", lambda: {})
    cleared = browse.view()
    assert cleared.restore == before  # the groups as they were before filtering
    assert browse.saved_expansion is None and browse.count() == ""


def test_typing_on_searches_only_the_previous_matches(tmp_path: Path) -> None:
    for i in range(5):
        agent(tmp_path / f"r{i}.md", f"reviewer-{i}")
    agent(tmp_path / "x.md", "api-builder")
    browse, _ = loaded(tmp_path)
    browse.view(relayout=True)
    browse.set_query("rev", dict)
    first, _best = browse.matches()
    assert first is not None and len(first) == 5
    browse.set_query("review", dict)
    narrowed, _best = browse.matches()
    assert narrowed is not None and narrowed <= first
    browse.set_query("zzz", dict)
    assert browse.view().specs == []
    assert browse.count() == "0/6"


def test_expansion_policy_opens_everything_only_for_small_catalogs() -> None:
    browse = Browse()
    group = GroupSpec("level:L2", "L2", count=3)
    nested = GroupSpec("level:L2/domain:x", "x", count=3)
    assert browse.expand_policy(group, 0) and browse.expand_policy(nested, 1)
    browse.expected = SMALL_CATALOG + 1  # the first scan found many files
    assert browse.expand_policy(group, 0)  # levels stay open
    assert not browse.expand_policy(nested, 1)  # domains start closed
    problems = GroupSpec(PROBLEMS_KEY, "Not agents", problem=True, count=51)
    assert not browse.expand_policy(problems, 0)


def test_the_first_scan_fills_in_steps_and_keeps_what_you_touched(tmp_path: Path) -> None:
    paths = [agent(tmp_path / f"a{i}.md", f"agent-{i}") for i in range(3)]
    catalog = Catalog([Root(tmp_path, RootKind.EXTRA, 0)])
    catalog.scan(workers=1)
    browse = Browse()
    first = [d for d in catalog.definitions() if d.path == paths[0]]
    assert browse.scan_progress(first, 1, 3)  # the first load: show what arrived
    assert browse.status() == "Reading 1 / 3…"
    browse.partial = True
    partial = shown(browse.view(relayout=True).specs)
    assert partial["level:L2/domain:backend"] == ["agent-0"]
    auto = {"level:L2": True, "level:L2/domain:backend": True}
    browse.fill_shown(auto)
    # you close the domain while it fills; the whole catalog then lands
    browse.load(catalog, None, None)
    browse.settle_partial({"level:L2": True, "level:L2/domain:backend": False})
    assert not browse.partial
    assert browse.saved_expansion == {"level:L2": True, "level:L2/domain:backend": False}
    assert len(browse.rows) == 3 and browse.progress is None
    assert not browse.scan_progress([], 1, 3)  # a reload: the tree keeps the catalog


def test_a_reload_keeps_unchanged_rows_and_a_rename_is_followed(tmp_path: Path) -> None:
    old = agent(tmp_path / "a.md", "api-builder")
    agent(tmp_path / "b.md", "ui-polisher")
    browse, catalog = loaded(tmp_path)
    row = browse.rows[old]
    browse.load(catalog, None, old)
    assert browse.rows[old] is row  # same definition, same verdicts: the row is kept
    new = tmp_path / "renamed.md"
    os.replace(old, new)
    diff = catalog.apply([(ChangeKind.DELETED, old), (ChangeKind.ADDED, new)])
    assert browse.load(catalog, diff, old) == new  # the cursor follows the file
    assert old not in browse.rows and new in browse.rows
    assert Browse.preview_outdated(diff, new) and not Browse.preview_outdated(diff, None)
    assert browse.taken_names() == frozenset({"api-builder", "ui-polisher"})


def test_shadowed_rows_name_the_winning_file(tmp_path: Path) -> None:
    high, low = tmp_path / "high", tmp_path / "low"
    agent(high / "a.md", "twin")
    shadowed = agent(low / "a.md", "twin")
    browse, _ = loaded(high, low)
    assert browse.rows[shadowed].shadowed_by == "a.md (extra)"  # the file that wins


def test_no_match_empties_the_tree_and_clearing_brings_every_agent_back() -> None:
    bundled = bundled_agents_dir()
    assert bundled is not None
    browse, _ = loaded(bundled)
    everything = browse.view(relayout=True)
    assert browse.visible == 20
    browse.set_query("zzzq", dict)
    assert browse.view().specs == [] and browse.visible == 0
    assert browse.count() == "0/20"
    browse.set_query("", dict)
    assert browse.view().specs == everything.specs and browse.visible == 20
