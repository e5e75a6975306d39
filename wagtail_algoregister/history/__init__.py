"""The public history of an entry: its published versions and what changed between them.

:mod:`.versions` reads the versions from Wagtail's own records (the page history's
``wagtail.publish`` entries and their revisions, never drafts); :mod:`.diff` compares
two versions word by word; :mod:`.notes` keeps the editor's change note with its
version.
"""
