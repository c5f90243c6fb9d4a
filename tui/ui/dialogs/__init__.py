"""Modal dialogs: help, go-to, prompts, bookmarks, the basket, the theme picker."""
