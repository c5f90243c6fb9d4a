"""Which search hit `n`/`N` go to next: the window of hits on hand and where it ends.

A search keeps at most MAX_HITS hits.  When a thread has more matches than that, the
hits on hand are a window: every match from one place (post, offset) to another, and
stepping past either end needs a new search from the reader's place (`window`).  The
navigator holds that window, the hit shown as current and the hit stepping goes on
from, and answers "where next" or "I cannot tell from here" -- the decisions a reader
screen used to make inline, kept here without Textual so they can be tested alone.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.search.index import MAX_HITS, Hit, HitList, SearchIndex, next_hit, prev_hit

Place = tuple[int, int]
Coverage = tuple[Place, Place]

# Before every post and after every post: a window that covers the whole thread.
START: Place = (-1, -1)
END: Place = (sys.maxsize, sys.maxsize)


def coverage(
    hits: Sequence[Hit],
    first_post: int = 0,
    last_post: int | None = None,
    last: bool = False,
    limit: int = MAX_HITS,
) -> Coverage:
    """The stretch, (post, offset) to (post, offset), in which `hits` -- a search of
    posts `first_post` to `last_post`, keeping the `last` `limit` hits or the first --
    are every match."""
    low = (first_post, -1) if first_post else START
    high = (last_post, sys.maxsize) if last_post is not None else END
    if len(hits) >= limit:
        if last:
            low = (hits[0].number, hits[0].start)
        else:
            high = (hits[-1].number, hits[-1].start)
    return low, high


@dataclass(frozen=True)
class Window:
    """Hits searched from a place onwards (or up to it) and the step found in them."""

    hits: HitList
    covered: Coverage
    hit: Hit
    wrapped: bool


def window(
    index: SearchIndex,
    pattern: re.Pattern[str],
    position: Place,
    forward: bool,
    cancel: threading.Event | None = None,
    limit: int = MAX_HITS,
) -> Window | None:
    """The hits from `position`'s post onwards (or, backwards, up to it) and the step
    from `position` in them; when there is none that way, the thread's first (or
    last) `limit` hits and the step that wraps.  None if cancelled or nothing matches."""
    post = max(0, position[0])
    if forward:
        hits = index.search(pattern, limit=limit, cancel=cancel, first_post=post)
        covered = coverage(hits, first_post=post, limit=limit)
    else:
        hits = index.search(pattern, limit=limit, cancel=cancel, last_post=post, keep_last=True)
        covered = coverage(hits, last_post=post, last=True, limit=limit)
    if hits:
        hit, wrapped = (next_hit if forward else prev_hit)(hits, position)
        if not wrapped:
            return Window(hits, covered, hit, False)
    if cancel is not None and cancel.is_set():
        return None
    if forward:
        hits = index.search(pattern, limit=limit, cancel=cancel)
        covered = coverage(hits, limit=limit)
    else:
        hits = index.search(pattern, limit=limit, cancel=cancel, keep_last=True)
        covered = coverage(hits, last=True, limit=limit)
    if not hits:
        return None
    return Window(hits, covered, hits[0] if forward else hits[-1], True)


class SearchNavigator:
    """The hits of the current search, the current one, and where `n`/`N` go on from.

    `position` is the place stepping starts from: the hit last gone to, until the
    reader moves elsewhere (`moved_to`), then the reader's own place.  `limit` is the
    most hits a search keeps.
    """

    def __init__(self, limit: int = MAX_HITS) -> None:
        self.limit = limit
        self.hits: Sequence[Hit] = []
        # The search `hits` came from: a window is searched again with it.
        self.pattern: re.Pattern[str] | None = None
        self.covered: Coverage = (START, END)
        self.current: Hit | None = None
        # The hit `n`/`N` continue from; None once the user has moved elsewhere.
        self.anchor: Hit | None = None

    def position(self, reader: Place) -> Place:
        """Where stepping starts: the anchor hit, else `reader` (the reader's place)."""
        if self.anchor is not None:
            return (self.anchor.number, self.anchor.start)
        return reader

    def origin(self, reader: Place) -> Place:
        """Where a new search looks for its first hit: the anchor's post (so a search
        typed on includes the match under the reader), else `reader`."""
        if self.anchor is not None:
            return (self.anchor.number, -1)
        return reader

    def moved_to(self, number: int) -> None:
        """The reader moved to post `number`: away from the current hit, `n` goes on
        from there; the highlights stay."""
        if self.current is not None and self.current.number != number:
            self.anchor = None

    def take_results(self, hits: Sequence[Hit], pattern: re.Pattern[str] | None) -> None:
        """A whole-thread search's hits (at most `limit`, from the top)."""
        self.hits = hits
        self.pattern = pattern
        self.covered = coverage(hits, limit=self.limit)
        if not hits:
            self.current = None
            self.anchor = None

    def take_window(self, found: Window) -> None:
        """A window searched from the reader's place (see `window`)."""
        self.hits = found.hits
        self.covered = found.covered

    def first_from(self, origin: Place) -> Hit | None:
        """The hit a new search shows first: the first at or after `origin` (wrapping),
        None if that hit may lie outside the hits on hand (search a window then)."""
        if not self.hits:
            return None
        answer = self.answer(origin, forward=True, including=True)
        return None if answer is None else answer[0]

    def answer(
        self, position: Place, *, forward: bool, including: bool = False
    ) -> tuple[Hit, bool] | None:
        """The next (or previous) hit from `position` and whether that wrapped, or
        None when the hits on hand cannot tell: the search stopped at MAX_HITS or
        covers only part of the thread, and the answer may lie outside it."""
        low, high = self.covered
        if forward:
            hit, wrapped = next_hit(self.hits, position)
        else:
            hit, wrapped = prev_hit(self.hits, position)
        if wrapped:
            return (hit, True) if (low, high) == (START, END) else None
        if forward:
            start = (position[0], -1) if including else position
            return (hit, False) if start >= low else None
        return (hit, False) if position <= high else None

    def go_to(self, hit: Hit) -> str:
        """Make `hit` current and the place stepping goes on from; returns the count
        to show for it, "3/40" or, when the total is unknown, "3/100000+"."""
        self.current = hit
        self.anchor = hit
        low, high = self.covered
        if low != START:
            # Hits from past the first `limit`: their place in the count is unknown.
            return f"in #{hit.number} of {self.limit}+"
        if high != END or len(self.hits) >= self.limit:
            return f"{hit.index + 1}/{self.limit}+"
        return f"{hit.index + 1}/{len(self.hits)}"
