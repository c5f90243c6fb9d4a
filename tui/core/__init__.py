"""The core: threads, formats, repair, search, library, quoting, export.  No Textual."""
