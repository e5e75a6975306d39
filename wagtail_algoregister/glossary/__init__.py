"""Words explained: the glossary that residents see next to the register's jargon.

The terms are editable snippets (:class:`wagtail_algoregister.models.GlossaryTerm`),
one set per locale, filled with the shipped Dutch and English defaults
(``data/terms.json``) when a locale is created (:mod:`.seed`). :mod:`.matching` finds
the terms in a text: the register's filters and the entry's facts box explain the
terms they show, and an entry's texts link each term to the glossary page the first
time it is used.
"""
