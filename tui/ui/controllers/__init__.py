"""Objects that drive a screen without being one: reading sessions, thread followers."""
