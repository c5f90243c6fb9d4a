"""Worker reports: a queue that falls behind drops stale progress, never a result."""

from __future__ import annotations

from tui.ui.messages import CommentsCounted, EntriesRead, IndexProgress


def test_progress_gives_way_to_later_progress_but_the_final_count_stays() -> None:
    assert IndexProgress(10).can_replace(IndexProgress(20))
    assert CommentsCounted(10).can_replace(CommentsCounted(20))
    assert CommentsCounted(10).can_replace(CommentsCounted(30, final=True))
    assert not CommentsCounted(30, final=True).can_replace(CommentsCounted(30))
    assert not CommentsCounted(10).can_replace(EntriesRead([], [], done=True))
    assert not EntriesRead([], []).can_replace(EntriesRead([], []))
