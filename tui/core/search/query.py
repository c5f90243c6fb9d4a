"""What the user typed, turned into a pattern: literal or regex, smart case, and the
one-line errors a bad pattern gives.

Both searches use it: inside one thread (`tui.core.search.index`) and across files
(`tui.core.search.files`, `threadread grep`).  It also answers the questions both
ask of a compiled pattern -- is it only a literal string, and may it run over
lowercased text -- so they are answered the same way everywhere.

Smart case follows the convention of less, vim and ripgrep: a query without an
uppercase letter ignores case.  Nothing here imports Textual.
"""

from __future__ import annotations

import re

from tui.core.safety import one_line

__all__ = [
    "ASCII_TWINS",
    "FIND_ASCII_TWINS",
    "KELVIN",
    "SearchError",
    "compile_pattern",
    "compile_query",
    "literal_text",
    "lowercase_safe",
]

# The characters that make a regex more than a literal string.
_REGEX_META = frozenset(".^$*+?{}[]|()")

# The only characters outside ASCII that ignoring case can match with an ASCII letter:
# under re.IGNORECASE all four, and in str.lower() K becomes k and İ becomes i plus a
# combining dot.
ASCII_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
KELVIN = "\u212a"
FIND_ASCII_TWINS = re.compile("[" + "".join(ASCII_TWINS) + "]")


class SearchError(ValueError):
    """A query that cannot be searched for; `str(error)` is one line for the user."""


_CODE_POINT_ESCAPE = re.compile(r"\\(?:[xuUN0]|[0-7]{3})")


def _regex_text(source: str) -> str:
    """The characters of a regex that stand for themselves or for syntax, without
    escapes (`\\S`, `\\W`, `\\x4A`, `\\N{...}`) and group names, whose letters say
    nothing about the case of the text being looked for."""
    kept: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n:
            kind = source[i + 1]
            if kind == "N" and source.startswith("{", i + 2):
                close = source.find("}", i + 3)
                i = n if close < 0 else close + 1
            elif kind in "xuU":
                i += 2 + {"x": 2, "u": 4, "U": 8}[kind]
            else:
                i += 2
            continue
        if source.startswith(("(?P<", "(?P="), i):
            close = source.find(">" if source[i + 3] == "<" else ")", i + 4)
            i = n if close < 0 else close + 1
            continue
        kept.append(c)
        i += 1
    return "".join(kept)


def _has_uppercase(text: str, *, regex: bool) -> bool:
    """Whether a query asks for case-sensitive matching under smart case."""
    if regex:
        text = _regex_text(text)
    return any(c.isupper() for c in text)


def compile_query(text: str, *, regex: bool) -> re.Pattern[str] | None:
    """Turn what the user typed into a pattern; None for an empty query.

    Literal unless `regex` is true, so that typing `a.b` or `(see` just works.  Regex
    queries get `re.MULTILINE`, so `^` and `$` anchor at line starts and ends (every
    post starts and ends a line).  Raises SearchError, never re.error, so the caller
    can show the message under the input box.
    """
    if not text:
        return None
    flags = 0 if _has_uppercase(text, regex=regex) else re.IGNORECASE
    if not regex:
        return re.compile(re.escape(text), flags)
    try:
        return re.compile(text, flags | re.MULTILINE)
    except re.error as error:
        message = error.msg
        if error.pos is not None:
            message += f" at position {error.pos}"
        raise SearchError(one_line(f"bad pattern: {message}")) from None
    except (OverflowError, RecursionError, ValueError) as error:
        raise SearchError(one_line(f"bad pattern: {error}")) from None


def literal_text(source: str, flags: int = 0) -> str | None:
    """The string a pattern's source only spells out (as `re.escape` writes it), or
    None when it is more than a literal.  A literal can be looked for with a plain
    find, cut into pieces for a byte test, and lowercased safely."""
    if flags & re.VERBOSE:
        return None
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char == "\\":
            if i + 1 >= n or source[i + 1].isalnum():
                return None
            out.append(source[i + 1])
            i += 2
            continue
        if char in _REGEX_META:
            return None
        out.append(char)
        i += 1
    return "".join(out)


def lowercase_safe(source: str) -> bool:
    """Whether a case-insensitive regex finds the same matches without re.IGNORECASE
    over lowercased text: true unless it names characters by code point (`\\x41`
    would then miss the lowercased "a") or has letters that lowercasing changes."""
    if _CODE_POINT_ESCAPE.search(source):
        return False
    return all(c == c.lower() for c in _regex_text(source))


def compile_pattern(text: str, *, regex: bool, ignore_case: bool | None = None) -> re.Pattern[str]:
    """The pattern for a query: smart case when `ignore_case` is None (the reader's
    rule), else exactly as asked (grep's rule).  Raises SearchError, one line, for a
    bad regex or an empty query."""
    pattern = compile_query(text, regex=regex)
    if pattern is None:
        raise SearchError("empty pattern")
    if ignore_case is None:
        return pattern
    flags = re.IGNORECASE if ignore_case else 0
    if regex:
        return re.compile(text, flags | re.MULTILINE)
    return re.compile(re.escape(text), flags)
