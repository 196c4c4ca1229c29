"""Worker failures travel to one place: the App's error funnel.

`Worker.StateChanged` is posted to the node that runs the worker and does not bubble, so a
screen or widget that runs workers calls `forward_failure` from its `on_worker_state_changed`;
the `WorkerFailed` it posts bubbles up to the App, which shows and logs it. Workers here are
started with `exit_on_error=False`: a failure is reported, never a crash that loses edits."""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState


class WorkerFailed(Message):
    """A worker of a screen or widget raised; the App's funnel says so."""

    def __init__(self, worker: Worker[Any]) -> None:
        super().__init__()
        self.worker = worker


def forward_failure(node: MessagePump, event: Worker.StateChanged) -> None:
    if event.state is WorkerState.ERROR:
        node.post_message(WorkerFailed(event.worker))
