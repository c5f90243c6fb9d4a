"""Every value of a Discourse, Mastodon or Bluesky sample replaced by a value of the
wrong type, and mail cut anywhere: the file opens, or is one ThreadError, never a
traceback."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest
from repo_paths import SAMPLES

from tui.core.errors import ThreadError
from tui.core.formats.detect import parse_thread

JSON_SAMPLES = [
    "discourse-ferry-timetable-utc.json",
    "mastodon-allotment-water-tap",
    "bluesky-utrecht-terrace-permits.json",
]
WRONG = [None, 7, "text", {}, [1]]


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*path, index))


def replaced(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(document))
    if not path:
        return new
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return copy


def opens_or_refuses(data: bytes) -> None:
    try:
        thread = parse_thread(data)
    except ThreadError as error:
        assert "\n" not in str(error)
        return
    for comment in thread.tree:
        assert isinstance(comment.text, str)
    assert isinstance(thread.title, str)


@pytest.mark.parametrize("name", JSON_SAMPLES)
def test_any_value_of_the_wrong_type(name: str) -> None:
    document = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    for path in places(document):
        for new in WRONG:
            opens_or_refuses(json.dumps(replaced(document, path, new)).encode())


def test_mail_cut_at_any_line_or_compressed_and_cut() -> None:
    data = (SAMPLES / "mbox-bike-lock-retry.mbox").read_bytes()
    lines = data.split(b"\n")
    for index in range(len(lines)):
        opens_or_refuses(b"\n".join(lines[:index] + lines[index + 1 :]))
        opens_or_refuses(b"\n".join(lines[:index]) + b"\n" + lines[index][:3])
    packed = gzip.compress(data)
    for size in range(10, len(packed), 97):
        opens_or_refuses(packed[:size])
