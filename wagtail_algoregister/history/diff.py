"""A word-level comparison of two plain texts, for residents.

The texts are compared as sequences of words (whitespace separated), so a changed
word shows as that word removed and the new one added, not as a changed line.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Segment:
    """A run of words that both texts share (``equal``), or only the old or the new has."""

    kind: str  # "equal", "removed" or "added"
    text: str

    @property
    def is_added(self):
        return self.kind == "added"

    @property
    def is_removed(self):
        return self.kind == "removed"


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn ``old`` into ``new``, in reading order (removed before added)."""
    a, b = (old or "").split(), (new or "").split()
    # autojunk would treat frequent words ("de", "het") as noise and give odd results.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    segments = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("removed", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("added", " ".join(b[j1:j2])))
    return segments


def with_context(segments: list[Segment], words: int = 12) -> list[Segment]:
    """``segments`` with long unchanged runs shortened to ``words`` words around each change.

    What was left out shows as "…"; the version's full text is shown on its page.
    """
    if not any(segment.kind != "equal" for segment in segments):
        return segments
    shortened = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        parts = segment.text.split()
        if segment.kind != "equal" or len(parts) <= words:
            shortened.append(segment)
        elif index == 0:
            shortened.append(Segment("equal", "… " + " ".join(parts[-words:])))
        elif index == last:
            shortened.append(Segment("equal", " ".join(parts[:words]) + " …"))
        elif len(parts) > 2 * words + 3:
            text = " ".join(parts[:words]) + " … " + " ".join(parts[-words:])
            shortened.append(Segment("equal", text))
        else:
            shortened.append(segment)
    return shortened
