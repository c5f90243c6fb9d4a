"""Helpers the pilot and snapshot tests share: thread documents and waiting."""

from __future__ import annotations

import contextlib

from textual.pilot import Pilot
from textual.worker import WorkerCancelled


def comment(text: str, author: str | None = None, replies: list | None = None) -> dict:
    """One comment of a `threadread/1` JSON document, posted at a fixed time."""
    return {
        "author": author,
        "posted": "2024-05-01T14:03:00",
        "text": text,
        "replies": replies or [],
    }


async def settle(pilot: Pilot) -> None:
    """Wait for queued messages, every worker (state writes, visits, repair counts,
    searches, reloads) and the repaint after them."""
    await pilot.pause()
    for _ in range(10):
        running = [worker for worker in pilot.app.workers if not worker.is_finished]
        if not running:
            break
        for worker in running:
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
    await pilot.pause()
