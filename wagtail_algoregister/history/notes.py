"""The editor's change note ("What has changed?") belongs to one version only.

Wagtail keeps no note per page revision (a publication's history entry has no
comment; workflow comments exist only when a workflow is used), so the note is a
field of the entry (``AlgorithmPage.change_note``). Wagtail stores every field in
each revision's content, which is what keeps the note with its version. After
publishing, the live row's note is emptied (so that code which edits the live row,
such as the import, does not repeat it on the next version), and the admin form
offers it empty when the entry has no unpublished changes
(:class:`wagtail_algoregister.admin.forms.AlgorithmPageForm`).
"""

from __future__ import annotations

from wagtail.signals import page_published

from wagtail_algoregister.models import AlgorithmPage


def clear_change_note(sender, instance, **kwargs):
    if instance.change_note:
        AlgorithmPage.objects.filter(pk=instance.pk).update(change_note="")
        instance.change_note = ""


def has_pending_changes(page) -> bool:
    """Whether the entry has a saved draft newer than its published version."""
    if not page.pk:
        return False
    row = (
        AlgorithmPage.objects.filter(pk=page.pk)
        .values("live_revision_id", "latest_revision_id")
        .first()
    )
    return bool(row) and row["latest_revision_id"] != row["live_revision_id"]


def connect():
    page_published.connect(
        clear_change_note, sender=AlgorithmPage, dispatch_uid="algoregister_change_note"
    )
