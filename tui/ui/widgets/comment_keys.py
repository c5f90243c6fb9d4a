"""The comment list's keys: moving between comments, paging, folding.

A mixin of `CommentList`, kept apart from the geometry and drawing: every action here
goes through the list's own public moves (`set_focus_to`, `scroll_to_focus`) and its
fold bookkeeping, so these are the rules of *where* a key goes, not how it is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.ui.widgets.comment_list import CommentList

    _Base = CommentList
else:
    _Base = object


class CommentKeys(_Base):
    """The key actions of the comment list (its BINDINGS name them)."""

    def _next_visible(self, number: int) -> int | None:
        after = self.posts.subtree_end(number) if number in self.folded else number + 1
        return after if after <= self.count else None

    def _previous_visible(self, number: int) -> int | None:
        if number <= 1:
            return None
        candidate = number - 1
        # candidate may sit inside a folded subtree: take its highest folded ancestor.
        chain = []
        node: int | None = candidate
        stop = self.posts.parent(number) or 0
        while node and node != stop:
            chain.append(node)
            node = self.posts.parent(node)
        for node in reversed(chain):
            if node in self.folded:
                return node
        return candidate

    def _page_rows(self, fraction: float) -> int:
        return max(1, int(max(1, self.scrollable_content_region.height) * fraction) - 1)

    def _scroll_by_rows(self, rows: int) -> None:
        """Scroll like a pager and put the focus on the first item shown."""
        if not self.count:
            return
        view = max(1, self.scrollable_content_region.height)
        top = max(0, min(int(self.scroll_y) + rows, max(0, self._rows.total - view)))
        if top == int(self.scroll_y):
            target = self.count if rows > 0 else 1
            self.set_focus_to(self._last_visible() if rows > 0 else target)
            return
        self.scroll_to(y=top, animate=False, immediate=True)
        self._settle()
        index, offset = self._rows.find(top)
        number = index + 1
        if offset and rows > 0:
            number = self._next_visible(number) or number
        self.focused = number
        self.post_message(self.Focused(number))
        self.refresh_items()

    def _last_visible(self) -> int:
        """The last comment on the list: the last one, or its highest folded ancestor."""
        number = self.count
        node = self.posts.parent(number)
        while node:
            if node in self.folded:
                number = node
            node = self.posts.parent(node)
        return number

    def action_next(self) -> None:
        if self.focused:
            self.set_focus_to(self._next_visible(self.focused))

    def action_previous(self) -> None:
        if self.focused:
            self.set_focus_to(self._previous_visible(self.focused))

    def action_next_top(self) -> None:
        if self.focused:
            self.set_focus_to(self.posts.next_top_level(self.focused))

    def action_previous_top(self) -> None:
        if self.focused:
            self.set_focus_to(self.posts.prev_top_level(self.focused))

    def action_next_sibling(self) -> None:
        if self.focused:
            self.set_focus_to(self.posts.next_sibling(self.focused))

    def action_previous_sibling(self) -> None:
        if self.focused:
            self.set_focus_to(self.posts.prev_sibling(self.focused))

    def action_parent(self) -> None:
        if self.focused:
            self.set_focus_to(self.posts.parent(self.focused))

    def action_first(self) -> None:
        self.set_focus_to(1)

    def action_last(self) -> None:
        if self.count:
            self.set_focus_to(self._last_visible())

    def action_page_down(self) -> None:
        self._scroll_by_rows(self._page_rows(1.0))

    def action_page_up(self) -> None:
        self._scroll_by_rows(-self._page_rows(1.0))

    def action_half_page_down(self) -> None:
        self._scroll_by_rows(self._page_rows(0.5))

    def action_half_page_up(self) -> None:
        self._scroll_by_rows(-self._page_rows(0.5))

    def action_toggle(self) -> None:
        if self.focused:
            self.toggle(self.focused)

    def action_fold(self) -> None:
        if not self.focused:
            return
        if self.focused in self.folded:
            self.set_focus_to(self.posts.parent(self.focused))
        else:
            self._fold(self.focused)
            self.scroll_to_focus()

    def action_unfold(self) -> None:
        if self.focused in self.folded:
            self._unfold(self.focused)
            self.scroll_to_focus()

    def action_fold_subtree(self) -> None:
        """Fold the focused comment and every reply below it."""
        if not self.focused:
            return
        end = self.posts.subtree_end(self.focused)
        for number in range(end - 1, self.focused - 1, -1):
            if number == self.focused or self.posts.descendants(number):
                self._fold(number)
        self.scroll_to_focus()

    def action_fold_all(self) -> None:
        """Fold every comment, or unfold them all when everything is folded already."""
        if not self.count:
            return
        everything = len(self.folded) >= self.count
        self.folded = set() if everything else set(range(1, self.count + 1))
        top = self.posts.top_ancestor(self.focused)
        if not everything:
            self.focused = top
        self._relayout()
        self.scroll_to_focus(center=True)
        self.post_message(self.Focused(self.focused))
