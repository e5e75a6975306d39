"""All of the package's template tags and filters in one library, for sites' own templates.

``{% load algoregister_tags %}`` keeps working for templates copied from earlier
versions. The tags live in small libraries named after what they hold, which the
packaged templates load directly:

- ``algoregister_entry``: an entry's rows by the standard and the resident's questions,
  field and value labels, ``linkify``;
- ``algoregister_page``: the stylesheet, breadcrumbs, meta description;
- ``algoregister_languages``: the language switch, a page's text language, the
  translation notice;
- ``algoregister_json_ld``: schema.org structured data.
"""

from django import template

from wagtail_algoregister.templatetags import (
    algoregister_entry,
    algoregister_json_ld,
    algoregister_languages,
    algoregister_page,
)

# Re-exported for code that imported them from here.
from wagtail_algoregister.templatetags.algoregister_entry import (  # noqa: F401
    Row,
    http_url,
    rows_for,
)
from wagtail_algoregister.templatetags.algoregister_json_ld import json_ld  # noqa: F401
from wagtail_algoregister.templatetags.algoregister_languages import (  # noqa: F401
    LanguageVersion,
    TranslationGap,
)


register = template.Library()
for library in (
    algoregister_entry,
    algoregister_page,
    algoregister_languages,
    algoregister_json_ld,
):
    register.tags.update(library.register.tags)
    register.filters.update(library.register.filters)
