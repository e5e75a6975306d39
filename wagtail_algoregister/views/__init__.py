"""Public views of registers and entries, reached through their pages' routes: the
files (downloads, catalogue, feed), an entry's version history and feedback form, and
a register's glossary."""
