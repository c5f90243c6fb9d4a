"""HTML and Markdown posts rendered to plain text and style spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.formats.richtext import (
    html_to_rich,
    linkify,
    markdown_to_rich,
    plain_spans,
    safe_href,
)
from tui.core.model import Span


def styled(text: str, spans: tuple[Span, ...]) -> list[tuple[str, str, str | None]]:
    """Each span as (the text it covers, role, href): what a reader would see styled."""
    return [(text[s.start : s.end], s.role, s.href) for s in spans]


def test_entities_are_decoded_and_whitespace_collapses() -> None:
    text, spans = html_to_rich("don&#x27;t  &amp;\n  won&#39;t &lt;b&gt;")
    assert text == "don't & won't <b>"
    assert spans == ()


def test_bare_p_separates_paragraphs_like_hacker_news_writes_them() -> None:
    text, _ = html_to_rich("First.<p>Second.<p>Third.")
    assert text == "First.\n\nSecond.\n\nThird."


def test_br_breaks_a_line_and_closed_paragraphs_work_too() -> None:
    text, _ = html_to_rich("<p>one<br>two</p><p>three</p>")
    assert text == "one\ntwo\n\nthree"


def test_inline_roles() -> None:
    text, spans = html_to_rich("a <i>b</i> <em>c</em> <b>d</b> <strong>e</strong> <code>f</code>")
    assert text == "a b c d e f"
    assert styled(text, spans) == [
        ("b", "emphasis", None),
        ("c", "emphasis", None),
        ("d", "strong", None),
        ("e", "strong", None),
        ("f", "code", None),
    ]


def test_pre_is_kept_exactly_as_one_code_block() -> None:
    html = "Code:<p><pre><code>  def f():\n      return 1\n\n  f()\n</code></pre>After"
    text, spans = html_to_rich(html)
    assert text == "Code:\n\n  def f():\n      return 1\n\n  f()\n\nAfter"
    assert styled(text, spans) == [("  def f():\n      return 1\n\n  f()", "code_block", None)]


def test_blockquote_and_hacker_news_quotes_are_quotes() -> None:
    text, spans = html_to_rich("<blockquote><p>q1</p><p>q2</p></blockquote><p>reply</p>")
    assert styled(text, spans) == [("q1\n\nq2", "quote", None)]
    text, spans = html_to_rich("&gt; they said<p>I reply", gt_quotes=True)
    assert text == "> they said\n\nI reply"
    assert styled(text, spans) == [("> they said", "quote", None)]


def test_lists_get_bullets_numbers_and_indentation() -> None:
    text, _ = html_to_rich("<ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul>end")
    assert text == "• one\n• two\n  1. a\n  2. b\n\nend"


def test_links_keep_only_safe_targets() -> None:
    html = (
        '<a href="https://x.org/a">ok</a> <a href="javascript:alert(1)">bad</a> '
        '<a href="mailto:me@x.org">mail</a> <a href="file:///etc/passwd">file</a>'
    )
    text, spans = html_to_rich(html)
    assert text == "ok bad mail file"
    assert styled(text, spans) == [
        ("ok", "link", "https://x.org/a"),
        ("mail", "link", "mailto:me@x.org"),
    ]


def test_relative_links_resolve_against_the_site() -> None:
    text, spans = html_to_rich(
        '<a href="item?id=5">there</a>', base="https://news.ycombinator.com/"
    )
    assert styled(text, spans) == [("there", "link", "https://news.ycombinator.com/item?id=5")]


def test_scripts_and_styles_are_dropped_and_nothing_is_markup() -> None:
    text, spans = html_to_rich("<script>alert(1)</script><style>p{}</style>[b]x[/b]")
    assert text == "[b]x[/b]"
    assert spans == ()


def test_sloppy_html_still_renders() -> None:
    text, spans = html_to_rich("<b>bold <i>both</b> after</i> <p")
    assert text.startswith("bold both after")
    assert all(0 <= s.start < s.end <= len(text) for s in spans)


def test_markdown_renders_with_markdown_it() -> None:
    text, spans = markdown_to_rich(
        "# Head\n\nSome *em*, **strong**, `code` and [a link](https://a.example/x).\n\n"
        "> quoted\n\n```\ncode\n  block\n```\n\n- one\n- two\n\n~~gone~~ <script>x</script>"
    )
    assert text == (
        "Head\n\nSome em, strong, code and a link.\n\nquoted\n\ncode\n  block\n\n"
        "• one\n• two\n\ngone <script>x</script>"
    )
    assert styled(text, spans) == [
        ("Head", "heading", None),
        ("em", "emphasis", None),
        ("strong", "strong", None),
        ("code", "code", None),
        ("a link", "link", "https://a.example/x"),
        ("quoted", "quote", None),
        ("code\n  block", "code_block", None),
        ("gone", "strike", None),
    ]


def test_markdown_links_to_unsafe_targets_are_plain_text() -> None:
    text, spans = markdown_to_rich("[click](javascript:alert(1)) and [ok](https://ok.example)")
    assert "click" in text
    assert styled(text, spans) == [("ok", "link", "https://ok.example")]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://example.com/a.", "https://example.com/a"),
        ("(https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("(at https://example.com/x)", "https://example.com/x"),
        ("mail mailto:someone@example.org, thanks", "mailto:someone@example.org"),
    ],
)
def test_bare_urls_become_links_without_trailing_punctuation(text: str, url: str) -> None:
    (span,) = linkify(text)
    assert text[span.start : span.end] == url and span.href == url


def test_plain_text_without_urls_has_no_spans() -> None:
    assert plain_spans("nothing to see; ftp://old.example is not a web link") == ()


@pytest.mark.parametrize(
    ("href", "safe"),
    [
        ("https://x.org", "https://x.org"),
        ("HTTP://X.ORG", "HTTP://X.ORG"),
        ("java\nscript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("", None),
    ],
)
def test_safe_href(href: str, safe: str | None) -> None:
    assert safe_href(href) == safe


@given(st.text(alphabet="<>/&;#abpiu ='\"\n-qre", max_size=80))
def test_any_html_renders_to_spans_inside_the_text(html: str) -> None:
    text, spans = html_to_rich(html, gt_quotes=True)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
