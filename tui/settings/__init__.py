"""The user's settings: the config file, themes and key bindings.  No Textual."""
