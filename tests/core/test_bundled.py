"""Our own bundled agents: enough of them, spanning levels and domains, all clean."""

from __future__ import annotations

from tui.core.catalog import Catalog
from tui.core.report import parse_template
from tui.core.roots import Root, RootKind, bundled_agents_dir
from tui.core.workflow import parse_body


def test_bundled_agents_validate_clean_and_cover_levels_and_domains() -> None:
    root = bundled_agents_dir()
    assert root is not None
    c = Catalog([Root(root, RootKind.BUNDLED, 0)])
    c.scan(workers=1)
    agents = c.agents()
    assert len(agents) >= 16
    assert {d.level for d in agents} == {"L0", "L1", "L2", "L3"}
    assert len({d.domain for d in agents}) >= 6
    assert c.find("l2-backend-specialist") is not None
    for d in agents:
        assert c.diagnostics_for(d) == (), (d.path, c.diagnostics_for(d))
        assert not d.level_inferred and not d.domain_inferred
        sections = parse_body(d.body, d.body_line - 1)
        assert len(sections.workflows) >= 2, d.path
        assert all(len(w.steps) >= 3 for w in sections.workflows), d.path
        assert sections.quality_checks, d.path
        assert sections.report_template, d.path
        template = parse_template(sections.report_template)
        assert template is not None and template.fields, d.path
