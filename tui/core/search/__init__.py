"""Searching: one thread's index and query rules, and search across thread files."""
