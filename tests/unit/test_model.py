"""Tree navigation answered by the model, for flat and nested threads."""

from __future__ import annotations

import pytest

from tui.core.model import CommentSpec, CommentTree, build_tree, split_paragraphs


def nested() -> CommentTree:
    """1 (2 (3, 4), 5), 6, 7 (8 (9 (10)))"""
    s = CommentSpec
    roots = [
        s("one", replies=[s("two", replies=[s("three"), s("four")]), s("five")]),
        s("six"),
        s("seven", replies=[s("eight", replies=[s("nine", replies=[s("ten")])])]),
    ]
    return build_tree(roots)


def test_numbering_is_reading_order() -> None:
    tree = nested()
    assert [c.text for c in tree] == [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"
    ]  # fmt: skip
    assert [c.number for c in tree] == list(range(1, 11))
    assert [c.depth for c in tree] == [0, 1, 2, 2, 1, 0, 0, 1, 2, 3]


def test_replies_are_nested_comments() -> None:
    tree = nested()
    one = tree.get(1)
    assert [r.number for r in one.replies] == [2, 5]
    assert [r.number for r in one.replies[0].replies] == [3, 4]
    assert [c.number for c in tree.top_level()] == [1, 6, 7]


@pytest.mark.parametrize(
    ("number", "parent", "next_sib", "prev_sib", "next_top", "prev_top", "end"),
    [
        (1, None, 6, None, 6, None, 6),
        (2, 1, 5, None, 6, 1, 5),
        (3, 2, 4, None, 6, 1, 4),
        (4, 2, None, 3, 6, 1, 5),
        (5, 1, None, 2, 6, 1, 6),
        (6, None, 7, 1, 7, 1, 7),
        (7, None, None, 6, None, 6, 11),
        (10, 9, None, None, None, 7, 11),
    ],
)
def test_navigation(number, parent, next_sib, prev_sib, next_top, prev_top, end) -> None:
    tree = nested()
    assert tree.parent(number) == parent
    assert tree.next_sibling(number) == next_sib
    assert tree.prev_sibling(number) == prev_sib
    assert tree.next_top_level(number) == next_top
    assert tree.prev_top_level(number) == prev_top
    assert tree.subtree_end(number) == end


def test_children_and_descendants() -> None:
    tree = nested()
    assert list(tree.children(0)) == [1, 6, 7]
    assert list(tree.children(1)) == [2, 5]
    assert tree.descendants(1) == 4
    assert tree.descendants(7) == 3
    assert tree.descendants(6) == 0
    assert tree.top_ancestor(10) == 7
    assert tree.is_ancestor(7, 10)
    assert not tree.is_ancestor(6, 10)


def test_flat_tree() -> None:
    tree = CommentTree.flat(3, lambda n: (None, ()))  # type: ignore[arg-type,return-value]
    assert tree.parent(2) is None
    assert tree.next_sibling(1) == 2
    assert tree.next_sibling(3) is None
    assert tree.prev_sibling(1) is None
    assert tree.prev_sibling(3) == 2
    assert tree.next_top_level(2) == 3
    assert tree.prev_top_level(2) == 1
    assert list(tree.children(0)) == [1, 2, 3]
    assert tree.depth(2) == 0


def test_out_of_range_numbers_raise_index_error() -> None:
    tree = nested()
    with pytest.raises(IndexError):
        tree.get(0)
    with pytest.raises(IndexError):
        tree.get(11)
    with pytest.raises(IndexError):
        tree.parent(99)


def test_deep_chain_builds_without_recursion() -> None:
    root = CommentSpec("0")
    node = root
    for i in range(1, 10_000):
        child = CommentSpec(str(i))
        node.replies.append(child)
        node = child
    tree = build_tree([root])
    assert len(tree) == 10_000
    assert tree.depth(10_000) == 9_999
    assert tree.top_ancestor(10_000) == 1
    assert tree.descendants(1) == 9_999
    assert "depth=9999" in repr(tree.get(10_000))


def test_comment_is_immutable() -> None:
    tree = nested()
    with pytest.raises(AttributeError):
        tree.get(1).text = "changed"  # type: ignore[misc]


def test_split_paragraphs() -> None:
    assert split_paragraphs("\n\na\nb\n\n  \n\nc\n") == ("a\nb", "c")
    assert split_paragraphs("  \n ") == ()


def test_tree_from_depths_has_the_shape_of_the_depths() -> None:
    from tui.core.model import Comment, CommentTree

    made: list[int] = []

    def load(number: int) -> tuple[Comment, tuple]:
        made.append(number)
        return Comment(number, f"c{number}"), ()

    tree = CommentTree.from_depths([0, 1, 2, 1, 0, 1], load)
    assert [tree.parent(n) for n in range(1, 7)] == [None, 1, 2, 1, None, 5]
    assert list(tree.children(0)) == [1, 5]
    assert list(tree.children(1)) == [2, 4]
    assert tree.descendants(1) == 3
    assert tree.next_sibling(2) == 4 and tree.prev_sibling(4) == 2
    assert made == [], "no comment is made before it is asked for"
    assert tree.get(4).text == "c4" and made == [4]


def test_tree_from_depths_refuses_a_jump_of_two_levels() -> None:
    from tui.core.model import Comment, CommentTree

    with pytest.raises(ValueError, match="depth 2"):
        CommentTree.from_depths([0, 2], lambda n: (Comment(n, ""), ()))
