"""Widgets: the Line-API comment list and article pane, the search bar."""
