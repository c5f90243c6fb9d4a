"""Bytes to a `Thread`: one module per file format, and the detection that picks one.

`detect` is the entry point the rest of the program uses (`read_thread`,
`read_thread_head`, `parse_thread`); each other module reads one format.
"""
