"""The reading state: positions, seen comments, bookmarks and the quote basket, in SQLite."""
