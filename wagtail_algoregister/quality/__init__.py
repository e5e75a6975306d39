"""Quality checks of entries, beyond the standard's own rules.

Pure functions over an entry in the national format (a dict keyed by the
standard's keys, as :mod:`wagtail_algoregister.validation` uses), so that the
edit view, the register report and the tests apply the same checks:

- :mod:`.completeness`: how many input keys are filled, which that residents need most are empty;
- :mod:`.language`: plain Dutch (B1): long sentences, long words, jargon, a readability score;
- :mod:`.links`: which values are links, what is wrong with them without fetching them;
- :mod:`.linkcheck`: fetching links safely (http and https only) to find broken ones;
- :mod:`.review`: entries whose next review date has passed or is near.

None of these checks blocks saving or publishing: they are advice for editors.
"""
