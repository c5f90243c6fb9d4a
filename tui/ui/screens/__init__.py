"""Full screens: the reader, the library and its search."""
