"""An entry page as the quality checks read it: its standard values and all its links."""

from __future__ import annotations

from html.parser import HTMLParser

from wagtail import blocks

from .. import standard
from .completeness import completeness
from .language import check_language
from .links import Link, entry_links


def entry_values(page) -> dict:
    """The page's values of the standard's input keys, as stored (national format)."""
    return {key: page.standard_value(key) for key in standard.input_fields()}


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        # Wagtail stores links to its own pages and documents as <a linktype="page" id="..">:
        # those cannot break the way an external address can.
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and not attributes.get("linktype"):
            self.hrefs.append(attributes["href"].strip())


def rich_text_links(html) -> list[str]:
    parser = _Hrefs()
    parser.feed(str(html or ""))
    parser.close()
    return parser.hrefs


def _block_links(block, value, found):
    if value is None:
        return
    if isinstance(block, blocks.URLBlock):
        if value:
            found.append(str(value))
    elif isinstance(block, blocks.RichTextBlock):
        found.extend(rich_text_links(getattr(value, "source", value)))
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _block_links(child, value.get(name), found)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _block_links(block.child_block, item, found)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            _block_links(child.block, child.value, found)


def local_links(page) -> list[Link]:
    """Links in the local fields: the extra content blocks and "objection and appeal"."""
    links = []
    for number, child in enumerate(page.body or [], start=1):
        found = []
        _block_links(child.block, child.value, found)
        links.extend(Link("body", url, number) for url in found)
    links.extend(
        Link("objection_procedure", url) for url in rich_text_links(page.objection_procedure)
    )
    return links


def page_links(page) -> list[Link]:
    """Every link of an entry page: the standard's link keys, then the local ones."""
    return entry_links(entry_values(page)) + local_links(page)


def page_quality(page):
    """Completeness and language of a page (its current content, as read)."""
    values = entry_values(page)
    return completeness(values), check_language(values)
