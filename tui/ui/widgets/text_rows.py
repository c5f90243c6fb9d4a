"""Turning a slice of untrusted post text into styled segments for a Line-API view.

The text never goes near Rich markup: segments are built from plain strings, control
characters have already been swapped for visible symbols (`tui.core.outline.display_text`)
and get their own style, and search hits are styled by offset.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style

from tui.core.outline import CONTROL_SYMBOLS


def styled_row(
    text: str,
    start: int,
    end: int,
    base: Style,
    *,
    hits: Sequence[tuple[int, int]] = (),
    current: tuple[int, int] | None = None,
    match_style: Style | None = None,
    current_style: Style | None = None,
    control_style: Style | None = None,
) -> list[Segment]:
    """Segments for `text[start:end]` (display text), with hits and controls styled.

    `hits` are (start, end) offsets into the same text; `current` is the hit the user
    is on, drawn in its own style.
    """
    if start >= end:
        return []
    # Boundaries where the style may change.
    cuts = {start, end}
    for hit_start, hit_end in hits:
        if hit_end > start and hit_start < end:
            cuts.add(max(hit_start, start))
            cuts.add(min(hit_end, end))
    chunk = text[start:end]
    controls: list[int] = []
    if control_style is not None and not (chunk.isascii() and chunk.isprintable()):
        controls = [start + i for i, ch in enumerate(chunk) if ch in CONTROL_SYMBOLS]
        for i in controls:
            cuts.add(i)
            cuts.add(i + 1)
    if len(cuts) == 2:
        return [Segment(chunk, base)]
    ordered = sorted(cuts)
    # Which hit style covers each piece.
    spans = sorted(
        (max(a, start), min(b, end), current_style if current == (a, b) else match_style)
        for a, b in hits
        if b > start and a < end
    )
    control_set = set(controls)
    segments: list[Segment] = []
    for left, right in itertools.pairwise(ordered):
        if left >= right:
            continue
        style = base
        for a, b, hit_style in spans:
            if a <= left < b and hit_style is not None:
                style = base + hit_style
                break
        if left in control_set and control_style is not None:
            style = style + control_style
        segments.append(Segment(text[left:right], style))
    return segments


def stylize_range(segments: list[Segment], start: int, end: int, style: Style) -> list[Segment]:
    """Add `style` to characters start..end (end -1: to the line's end) of a row.

    Used to paint a mouse selection over an already rendered row.
    """
    if end == -1:
        end = sum(len(segment.text) for segment in segments)
    if start >= end:
        return segments
    result: list[Segment] = []
    position = 0
    for segment in segments:
        text, seg_style, control = segment
        seg_end = position + len(text)
        if seg_end <= start or position >= end or control:
            result.append(segment)
        else:
            a = max(start, position) - position
            b = min(end, seg_end) - position
            if a:
                result.append(Segment(text[:a], seg_style))
            result.append(Segment(text[a:b], (seg_style or Style()) + style))
            if b < len(text):
                result.append(Segment(text[b:], seg_style))
        position = seg_end
    return result


def selected_text(rows: list[str], spans: list[tuple[int, int] | None]) -> str:
    """Join the selected part of each row: spans are (start, end) with end -1 = to the end."""
    parts = []
    for text, span in zip(rows, spans, strict=True):
        if span is None:
            continue
        start, end = span
        start = max(0, start)
        parts.append(text[start:] if end == -1 else text[start : max(start, end)])
    return "\n".join(parts)
