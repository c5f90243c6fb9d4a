"""The library model and the cross-thread search engine, without the UI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bench.mangle import mangle_874
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.library import (
    Candidate,
    Skipped,
    ThreadEntry,
    TitleFilter,
    count_entry,
    fuzzy_match,
    head_title,
    natural_key,
    read_entry,
    walk,
)
from tui.core.repair import repair_text
from tui.core.search.files import FOLDS_TO_ASCII, Query, search_files
from tui.core.search.index import SearchIndex
from tui.core.search.query import SearchError, compile_pattern, compile_query

NBSP = "\u00a0"


def seed(title: str, article: str, *posts: str) -> str:
    return f"{NBSP}\n".join([f"{title}\n\n{article}\n", *(p + "\n" for p in posts)])


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def json_thread(title: str, *texts: str) -> str:
    comments = [{"author": None, "posted": None, "text": t, "replies": []} for t in texts]
    doc = {"format": "threadread/1", "title": title, "article": "About it.", "comments": comments}
    return json.dumps(doc)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Good threads of both formats among files that are not threads."""
    root = tmp_path / "lib"
    write(root / "thread-10.txt", seed("Ten", "Article ten.", "one", "two"))
    write(root / "thread-2.txt", seed("Two", "Article two.", "only"))
    write(root / "sub" / "nested", seed("Nested", "No extension.", "a", "b", "c"))
    write(root / "sub" / "doc.json", json_thread("Jason", "first", "second"))
    write(root / "broken.json", '{"format": "threadread/1", "title": "Broken", "comments": [')
    write(root / "empty.txt", "")
    write(root / "blank.txt", f"  \n{NBSP}\n\n")
    write(root / "picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write(root / "notes.md", "# not a thread")
    write(root / ".hidden.txt", seed("Hidden", "x", "y"))
    write(root / ".git" / "config.txt", seed("Git", "x", "y"))
    return root


# -- walking and titles ------------------------------------------------------------------


def test_natural_order() -> None:
    names = ["thread-10.txt", "Thread-2.txt", "thread-1.txt", "a/b.txt"]
    assert sorted(names, key=natural_key) == [
        "a/b.txt",
        "thread-1.txt",
        "Thread-2.txt",
        "thread-10.txt",
    ]


def test_walk_finds_candidates_and_lists_the_rest(mixed: Path) -> None:
    found = walk([mixed])
    names = [c.path.relative_to(mixed).as_posix() for c in found.files]
    assert names == [
        "blank.txt",
        "broken.json",
        "empty.txt",
        "picture.txt",
        "sub/doc.json",
        "sub/nested",
        "thread-2.txt",
        "thread-10.txt",
    ]
    assert [(s.path.name, s.reason) for s in found.skipped] == [
        ("notes.md", "not a thread file (.md)")
    ]


def test_walk_keeps_named_files_whatever_their_name(tmp_path: Path, mixed: Path) -> None:
    named = write(tmp_path / "thread.log", seed("Logged", "x", "y"))
    found = walk([named, mixed / "thread-2.txt", tmp_path / "missing.txt"])
    assert [c.path for c in found.files] == [named, mixed / "thread-2.txt"]
    assert found.skipped == [Skipped(tmp_path / "missing.txt", "no such file")]


def test_walk_survives_a_link_loop(tmp_path: Path) -> None:
    write(tmp_path / "a" / "t.txt", seed("T", "x", "y"))
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    found = walk([tmp_path])
    assert [c.path.name for c in found.files] == ["t.txt"]


def test_heads_tell_threads_from_other_files(mixed: Path) -> None:
    results = {c.path.name: read_entry(c) for c in walk([mixed]).files}
    titles = {n: r.title for n, r in results.items() if isinstance(r, ThreadEntry)}
    reasons = {n: r.reason for n, r in results.items() if isinstance(r, Skipped)}
    assert titles == {
        "thread-10.txt": "Ten",
        "thread-2.txt": "Two",
        "nested": "Nested",
        "doc.json": "Jason",
        "broken.json": "Broken",
    }
    assert reasons == {
        "empty.txt": "empty file",
        "blank.txt": "empty file (nothing but whitespace)",
        "picture.txt": "not a text file (binary data)",
    }


def test_a_full_read_marks_broken_threads(mixed: Path) -> None:
    entry = read_entry(Candidate(mixed / "broken.json", 10, 0.0))
    assert isinstance(entry, ThreadEntry)
    count_entry(entry)
    assert entry.comments is None
    assert entry.error is not None and "JSON" in entry.error
    good = read_entry(Candidate(mixed / "sub" / "nested", 10, 0.0))
    assert isinstance(good, ThreadEntry)
    count_entry(good)
    assert (good.comments, good.error) == (3, None)


def test_head_title_matches_the_reader(seed_path: Path) -> None:
    data = seed_path.read_bytes()
    title = head_title(data[:4096], seed_path, complete=False)
    assert title == read_thread(seed_path).title


def test_head_title_of_mojibake_is_repaired(tmp_path: Path) -> None:
    path = write(tmp_path / "m.txt", seed(mangle_874("Pizza night 🍕 tonight"), "x", "y"))
    assert head_title(path.read_bytes(), path, complete=True) == "Pizza night 🍕 tonight"
    raw = head_title(path.read_bytes(), path, complete=True, repair=False)
    assert raw == mangle_874("Pizza night 🍕 tonight")


def test_head_title_of_json_beyond_the_head(tmp_path: Path) -> None:
    doc = {"format": "threadread/1", "article": "x" * 5000, "title": "Late", "comments": []}
    path = write(tmp_path / "late.json", json.dumps(doc))
    entry = read_entry(Candidate(path, path.stat().st_size, 0.0))
    assert isinstance(entry, ThreadEntry)
    assert entry.title is None and entry.label == "late.json"
    count_entry(entry)
    assert entry.title == "Late"


def test_a_long_first_line_is_cut_at_a_character(tmp_path: Path) -> None:
    title = "é" * 3000
    path = write(tmp_path / "long.txt", seed(title, "x", "y"))
    found = head_title(path.read_bytes()[:4096], path, complete=False)
    assert found is not None and set(found) == {"é"} and 2000 <= len(found) < 3000


# -- filtering ----------------------------------------------------------------------------


def entries(*titles: str) -> list[ThreadEntry]:
    return [ThreadEntry(Path(f"{i}.txt"), t, 1, 0.0) for i, t in enumerate(titles)]


def test_fuzzy_match_follows_the_palette() -> None:
    assert fuzzy_match("bike", "city council backs bike lanes") is not None
    assert fuzzy_match("cbl", "city council backs bike lanes") is not None
    assert fuzzy_match("lanes city", "city council backs bike lanes") is None
    whole = fuzzy_match("bike", "bike")
    part = fuzzy_match("bike", "bike lanes")
    scattered = fuzzy_match("bike", "big kettle")
    assert whole and part and scattered
    assert whole[0] > part[0] > scattered[0]
    assert part[1] == (0, 1, 2, 3)


def test_filter_ranks_best_first_and_keeps_library_order_for_ties() -> None:
    library = entries("Garden water bill", "Bike lanes", "Big kettle", "Bike lanes again")
    found = TitleFilter(library).filter("bike")
    assert [index for index, _ in found] == [1, 3, 2]
    assert TitleFilter(library).filter("") == [(i, ()) for i in range(4)]
    assert TitleFilter(library).filter("zzz") == []


def test_filter_handles_regex_characters_and_new_entries() -> None:
    library = entries(r"a [b] c\d ^e-", "plain")
    title_filter = TitleFilter(library)
    assert [i for i, _ in title_filter.filter(r"[b] c\d ^e-")] == [0]
    library.append(ThreadEntry(Path("x.txt"), "[b] c\\d ^e- too", 1, 0.0))
    assert [i for i, _ in title_filter.filter(r"[b] c\d ^e-")] == [0, 2]


def test_filter_is_quick_at_ten_thousand_titles() -> None:
    import time

    words = [
        "city",
        "council",
        "report",
        "transit",
        "housing",
        "budget",
        "bike",
        "lanes",
        "library",
        "hours",
    ]
    library = entries(*(" ".join(words[(i + k) % 10] for k in range(7)) for i in range(10_000)))
    title_filter = TitleFilter(library)
    title_filter.filter("x")
    start = time.perf_counter()
    title_filter.filter("bdgt lns")
    assert time.perf_counter() - start < 1.0


# -- the byte test never loses a match -------------------------------------------------------


def found_by_index(data: bytes, pattern: re.Pattern[str], repair: bool = True) -> bool:
    """The ground truth: does the reader's own search find anything in this file?"""
    try:
        thread = parse_thread(data, Path("t.txt"), repair=repair)
    except Exception:
        return False
    return bool(SearchIndex(thread).search(pattern))


def test_fold_characters_are_exactly_those_re_and_lower_fold_to_ascii() -> None:
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    by_re = set(re.findall("[a-z]", every, re.IGNORECASE))
    by_lower = {c for c in every if any(x.isascii() for x in c.lower())}
    assert by_re | by_lower == set(FOLDS_TO_ASCII)
    for encoding in ("windows-1252", "latin-1"):
        decoded = bytes(range(256)).decode(encoding, errors="ignore")
        assert not set(decoded) & set(FOLDS_TO_ASCII)


TEXT = st.text(
    alphabet=st.sampled_from(list("aAbBiIsSkK xyz.\"/\\'é🍕🤔ıİſK’—…\u00a0")), max_size=30
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=TEXT, fancy=st.booleans())
def test_repair_keeps_every_stretch_of_ascii(text: str, fancy: bool) -> None:
    """The property the byte test rests on (see tui.core.search.files)."""
    source = mangle_874(text) if fancy else text
    fixed, _ = repair_text("start " + source + " end")
    assert re.findall(r"[\x00-\x7f]+", fixed) == re.findall(
        r"[\x00-\x7f]+", "start " + source + " end"
    )


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@example(post="🍕 İ ſ", other="", query="s", mangle=True, as_json=False, repair=True)
@example(post="🍕 İ ſ", other="", query="s", mangle=True, as_json=True, repair=True)
@example(post="İ xſy", other="", query="XSY", mangle=True, as_json=False, repair=True)
@example(post="İ ı", other="", query="i", mangle=False, as_json=True, repair=False)
@example(post="é🍕", other="", query="é🍕", mangle=False, as_json=True, repair=True)
# JSON spells İ as \u0130: the file is ASCII, yet "IA" ignoring case matches "İA".
@example(post="", other="İA", query="IA", mangle=False, as_json=True, repair=False)
@given(
    post=TEXT,
    other=TEXT,
    query=st.text(alphabet=st.sampled_from(list("aAbBiIsSkK xyz.\"/\\'é🍕ıİſK")), min_size=1),
    mangle=st.booleans(),
    as_json=st.booleans(),
    repair=st.booleans(),
)
def test_the_byte_test_never_rejects_a_match(
    post: str, other: str, query: str, mangle: bool, as_json: bool, repair: bool
) -> None:
    if mangle:
        post = mangle_874(post)
    if as_json:
        data = json_thread("T", post, other).encode("utf-8")
        escaped = json.dumps({"t": post}).encode("ascii")
        variants = [data, escaped.replace(b'{"t"', b'{"title": "T", "format": "threadread/1"', 1)]
    else:
        variants = [seed("T", "article", post, other).encode("utf-8")]
    for pattern in (compile_query(query, regex=False), re.compile(re.escape(query), re.I)):
        assert pattern is not None
        q = Query(pattern, repair=repair)
        for data in variants:
            if found_by_index(data, pattern, repair):
                assert q.may_match(data), (query, data)


# Regex shapes around two literal halves of the query: what each requires differs.
_REGEX_SHAPES = (
    "{a}\\w*{b}",
    "{a}.{b}",
    "(?:{a})+{b}",
    "({a}|zz){b}",
    "{a}(?={b})",
    "^{a}[ ]?{b}$",
    "{a}(?:{b})?",
    "(?i:{a}){b}",
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@example(post="xKy", other="", query="xky", shape=0, cut=1, mangle=False, as_json=False)
@given(
    post=TEXT,
    other=TEXT,
    query=st.text(alphabet=st.sampled_from(list("aAbBiIsSkK xyz.\"/\\'é🍕ıİſK")), min_size=1),
    shape=st.integers(0, len(_REGEX_SHAPES) - 1),
    cut=st.integers(0, 4),
    mangle=st.booleans(),
    as_json=st.booleans(),
)
def test_the_byte_test_never_rejects_a_regex_match(
    post: str, other: str, query: str, shape: int, cut: int, mangle: bool, as_json: bool
) -> None:
    """Regex queries are tested with the literal runs every match must hold."""
    if mangle:
        post = mangle_874(post)
    data = (json_thread("T", post, other) if as_json else seed("T", "article", post, other)).encode(
        "utf-8"
    )
    a, b = re.escape(query[:cut]), re.escape(query[cut:])
    source = _REGEX_SHAPES[shape].format(a=a, b=b)
    for pattern in (compile_query(source, regex=True), re.compile(source, re.I | re.M)):
        assert pattern is not None
        q = Query(pattern)
        if found_by_index(data, pattern):
            assert q.may_match(data), (source, data)


def test_regex_queries_skip_files_without_their_literal_runs() -> None:
    q = Query(compile_pattern(r"zeppel\w+", regex=True))
    assert not q.may_match(seed("T", "x", "a balloon", "a blimp").encode())
    # Smart case: an all-lowercase regex ignores case, as in the reader.
    assert q.may_match(seed("T", "x", "the Zeppelins", "a blimp").encode())
    q = Query(compile_pattern(r"Zeppel\w+", regex=True))
    assert not q.may_match(seed("T", "x", "the zeppelins").encode())
    # Nothing every match must hold: every file is parsed.
    q = Query(compile_pattern(r"zeppelin|blimp", regex=True))
    assert q.may_match(seed("T", "x", "a balloon").encode())


def test_the_byte_test_rejects_files_that_cannot_match(tmp_path: Path) -> None:
    q = Query(compile_pattern("zeppelin", regex=False))
    assert not q.may_match(seed("T", "x", "a balloon", "a blimp").encode())
    assert not q.may_match(seed("T", "x", mangle_874("a balloon 🤔"), "a blimp").encode())
    assert q.may_match(seed("T", "x", "the ZEPPELIN", "a blimp").encode())
    # A JSON escape of an ASCII letter hides it from the byte test: parse instead.
    assert q.may_match(b'{"title": "T", "comments": [{"text": "\\u007aeppelin"}]}')


def test_per_post_search_finds_what_the_index_finds(tmp_path: Path) -> None:
    posts = [
        "The mayor said no.",
        mangle_874("the mayor 🤔 again, THE MAYOR!"),
        "nothing",
        "line one\nand the mayor on line two\nthe mayor, the mayor",
        mangle_874("🍕 İ the xſy"),
        "the xsy",
    ]
    data = seed("T", "Article: the mayor spoke.", *posts).encode()
    for text in ("the mayor", "The mayor", "mayor,", "🤔", "xsy", "the x"):
        q = Query(compile_pattern(text, regex=False))
        path = write(tmp_path / "t.txt", data)
        result = q.search_file(path)
        thread = parse_thread(data, path)
        expected = q._search_index(thread)
        assert list(result.lines) == expected, text


# -- searching files ----------------------------------------------------------------------


def test_search_reports_lines_comment_numbers_and_spans(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.txt",
        seed("T", "The article mentions pizza.", "no", "pizza and\nmore pizza, pizza"),
    )
    result = Query(compile_pattern("pizza", regex=False)).search_file(path)
    assert result.title == "T"
    assert [(m.comment, m.line_number, m.line, m.spans) for m in result.lines] == [
        (0, 1, "The article mentions pizza.", ((21, 26),)),
        (2, 1, "pizza and", ((0, 5),)),
        (2, 2, "more pizza, pizza", ((5, 10), (12, 17))),
    ]


def test_search_finds_the_repaired_emoji(tmp_path: Path) -> None:
    path = write(tmp_path / "m.txt", seed("T", "x", mangle_874("So good 🍕 really")))
    found = Query(compile_pattern("🍕", regex=False)).search_file(path)
    assert [m.line for m in found.lines] == ["So good 🍕 really"]
    raw = Query(compile_pattern("🍕", regex=False), repair=False).search_file(path)
    assert raw.lines == ()


def test_search_regex_and_errors(tmp_path: Path, mixed: Path) -> None:
    pattern = compile_pattern(r"^(one|two)$", regex=True)
    results = list(search_files([c.path for c in walk([mixed]).files], Query(pattern)))
    matched = {r.path.name: [m.comment for m in r.lines] for r in results if r.lines}
    assert matched == {"thread-10.txt": [1, 2]}
    errors = {r.path.name: r.error for r in results if r.error}
    assert set(errors) == {"broken.json", "empty.txt", "blank.txt", "picture.txt"}


def test_compile_pattern_rules() -> None:
    assert compile_pattern("abc", regex=False).flags & re.IGNORECASE
    assert not compile_pattern("Abc", regex=False).flags & re.IGNORECASE
    assert not compile_pattern("abc", regex=False, ignore_case=False).flags & re.IGNORECASE
    assert compile_pattern("Abc", regex=False, ignore_case=True).flags & re.IGNORECASE
    assert compile_pattern("a.c", regex=False).search("abc") is None
    with pytest.raises(SearchError, match="bad pattern"):
        compile_pattern("(", regex=True)
    with pytest.raises(SearchError, match="empty"):
        compile_pattern("", regex=False)


def test_search_can_be_cancelled(tmp_path: Path) -> None:
    import threading

    paths = [write(tmp_path / f"{i}.txt", seed("T", "x", "pizza")) for i in range(5)]
    cancel = threading.Event()
    seen = []
    for result in search_files(paths, Query(compile_pattern("pizza", regex=False)), cancel=cancel):
        seen.append(result)
        cancel.set()
    assert len(seen) == 1


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys, tui.core.library, tui.core.search.files, tui.commands.grep;"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
