"""Residents report an error or ask a question about an entry (``<entry URL>feedback/``).

The form works without JavaScript and without any outside service. Robots are kept
out without a puzzle (:mod:`.spam`): a field people do not see and leave empty, a
signed timestamp that must be at least ``FEEDBACK_MIN_SECONDS`` old, and at most
``FEEDBACK_RATE_LIMIT`` sendings per client through Django's cache. A message is
stored (:class:`wagtail_algoregister.models.Feedback`) with a reference, e-mailed to
the entry's contact or the register's notification address (:mod:`.mail`, in a
task), and handled in the admin's inbox; nothing is published. Personal data is
removed after ``FEEDBACK_RETENTION_DAYS`` (:mod:`.retention`).
"""
