"""Worker failures are never silent: a worker that raises, on the app or deep in a widget,
reaches the app's one error funnel, which says what failed and keeps the app running."""

from __future__ import annotations

import pytest

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.core.roots import Root


def _errors(app: object) -> list[str]:
    return [
        str(n.message)
        for n in app._notifications  # type: ignore[attr-defined]
        if n.severity == "error"
    ]


async def test_a_failing_app_worker_is_shown_and_the_app_goes_on(tmp_root: Root) -> None:
    write_agent(tmp_root.path, "api-builder")
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def boom() -> None:
            raise RuntimeError("the stream broke in an unexpected way")

        app.run_worker(boom(), group="session", name="session x", exit_on_error=False)
        await wait_for(pilot, lambda: _errors(app), what="the error notification")
        (message,) = _errors(app)
        assert message.startswith("Session failed: RuntimeError: the stream broke")
        assert app.is_running and app.screen is app.main_screen


async def test_a_failing_widget_worker_reaches_the_funnel(
    tmp_root: Root, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's loader runs on the preview widget; Worker.StateChanged does not bubble,
    so before the funnel this failure vanished (the preview just stayed empty)."""
    write_agent(tmp_root.path, "api-builder")

    def broken_parse(*_args: object) -> object:
        raise ValueError("outline parser bug")

    monkeypatch.setattr("tui.core.workflow.parse_body", broken_parse)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: _errors(app), what="the error notification")
        assert any(
            m.startswith("Preview failed: ValueError: outline parser bug") for m in _errors(app)
        )
        await pilot.press("g")  # still answering keys
        await wait_for(pilot, lambda: app.main_screen.browse.group_by.value == "domain")
