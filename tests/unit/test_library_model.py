"""The `Library` model every list of a library draws from, without the UI."""

from __future__ import annotations

from pathlib import Path

from tui.core.library import Candidate, Library, Skipped, ThreadEntry


def entry(path: Path, title: str) -> ThreadEntry:
    return ThreadEntry(path, title, 10, 0.0)


def test_lists_are_told_of_every_change_and_a_stale_filter_is_not_shown(tmp_path: Path) -> None:
    library = Library([tmp_path])
    told: list[int] = []
    library.subscribe(lambda model: told.append(len(model.view)))
    library.add(
        [entry(tmp_path / "a.txt", "Zoning board"), entry(tmp_path / "b.txt", "Budget")],
        [],
        done=False,
    )
    library.query = "zon"
    view = library.filter("zon")
    library.query = "bud"
    assert not library.show(view, "zon"), "the filter changed while it ran"
    assert library.view == [] and told == []
    assert library.show(library.filter("bud"), "bud")
    assert library.shown(0) is library.entries[1]
    assert told == [1]
    assert library.set_new_counts({tmp_path / "b.txt": 2})
    assert not library.set_new_counts({tmp_path / "b.txt": 2}), "the same counts again"
    library.count_progress(2)
    assert library.counted == 2
    assert told == [1, 1, 1]


def test_unsubscribed_lists_hear_nothing(tmp_path: Path) -> None:
    library = Library([tmp_path])
    told: list[Library] = []
    library.subscribe(told.append)
    library.unsubscribe(told.append)
    library.count_progress(1)
    assert told == []


def test_entries_are_found_by_path_and_by_resolved_path(tmp_path: Path) -> None:
    real = tmp_path / "a.txt"
    real.write_text("x")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    library = Library([tmp_path])
    first, second = entry(link, "Linked"), entry(tmp_path / "b.txt", "Other")
    library.add([first, second], [], done=True)
    library.show(library.filter(""), "")
    assert library.find(tmp_path / "b.txt") is second
    assert library.find(real) is first, "a bookmark stores the resolved path"
    assert library.find(tmp_path / "gone.txt") is None
    assert library.row_of(second) == 1
    assert library.row_of(None) is None


def test_a_search_while_titles_are_read_looks_in_every_candidate(tmp_path: Path) -> None:
    library = Library([tmp_path])
    a, b, c = (tmp_path / name for name in ("a.txt", "b.txt", "c.txt"))
    library.walked([Candidate(a), Candidate(b), Candidate(c)], [])
    library.add([entry(a, "A")], [Skipped(b, "not a thread")], done=False)
    assert library.search_paths() == [a, c]
    library.add([entry(c, "C")], [], done=True)
    assert library.search_paths() == [a, c]
    assert not library.scanning
