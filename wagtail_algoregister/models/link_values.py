"""Which link values of an entry an editor kept as they were stored (not typed anew).

The import accepts text in a link field, as the national register does
(:func:`wagtail_algoregister.standard.validation.validate_value` with ``text_links``), and
reports it as a quality warning. The admin form asks for a real web address, but only
for what an editor types: an entry imported with text in its ``website`` can still be
edited and saved without first fixing that field. These helpers tell the model's
``clean`` which values are unchanged since they were stored (in the entry's row or
its latest revision), and only look when a value is not a web address.
"""

from __future__ import annotations

from wagtail.models import Revision

from wagtail_algoregister import standard
from wagtail_algoregister.standard.validation import is_web_address


def _revision_content(page) -> dict:
    if not page.latest_revision_id:
        return {}
    content = (
        Revision.objects.filter(pk=page.latest_revision_id)
        .values_list("content", flat=True)
        .first()
    )
    return content if isinstance(content, dict) else {}


def _stored(page) -> list[dict]:
    """The entry's stored values: its row and its latest revision's content."""
    row = type(page)._default_manager.filter(pk=page.pk).values().first()
    return [row or {}, _revision_content(page)]


def kept_text_links(page) -> set[str]:
    """Keys of link fields that hold text stored before (not typed by the editor now)."""
    texts = [
        d
        for d in standard.scalar_fields()
        if d.format in ("url", "email_or_url")
        and (value := str(getattr(page, d.attribute, "") or "").strip())
        and not is_web_address(value)
    ]
    if not texts or not page.pk:
        return set()
    stored = _stored(page)
    return {
        d.key
        for d in texts
        if any(
            str(values.get(d.attribute) or "").strip()
            == str(getattr(page, d.attribute) or "").strip()
            for values in stored
        )
    }


def kept_text_link(row) -> bool:
    """Whether the text in the link of a grouping row is as it was stored."""
    link = str(row.link or "").strip()
    if not link or is_web_address(link):
        return False
    if row.pk:
        stored = type(row)._default_manager.filter(pk=row.pk).values_list("link", flat=True)
        if any(str(value or "").strip() == link for value in stored):
            return True
    if not getattr(row, "page_id", None):
        return False
    page = row.page
    attribute = standard.get(row.grouping).attribute
    return any(
        isinstance(item, dict) and str(item.get("link") or "").strip() == link
        for item in _revision_content(page).get(attribute) or []
    )
