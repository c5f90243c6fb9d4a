"""The Textual application: screens, dialogs, widgets and what drives them."""
