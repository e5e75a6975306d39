"""The stored result of checking one link of one entry (see :mod:`wagtail_algoregister.quality.tasks`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister.quality.linkcheck import BROKEN, LinkResult
from wagtail_algoregister.quality.links import Finding, Link, scheme


class LinkCheck(models.Model):
    """One link of an entry's published version and what checking it found.

    The rows of an entry are replaced by each check; an unpublished entry has none.
    """

    page = models.ForeignKey(
        "wagtail_algoregister.AlgorithmPage",
        on_delete=models.CASCADE,
        related_name="link_checks",
        verbose_name=_("algorithm"),
    )
    key = models.CharField(_("field"), max_length=64)  # the standard's key or a local field
    position = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    url = models.TextField(_("link"))
    finding = models.CharField(max_length=32, blank=True)  # a links.Finding kind
    outcome = models.CharField(max_length=32)  # a linkcheck.LinkResult outcome
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.TextField(blank=True)
    suggestion = models.TextField(blank=True)
    detail = models.TextField(blank=True)
    checked_at = models.DateTimeField(_("checked at"), db_index=True)

    class Meta:
        ordering = ["page", "pk"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        indexes = [models.Index(fields=["outcome"]), models.Index(fields=["finding"])]

    def __str__(self):
        return self.url

    @property
    def link(self) -> Link:
        return Link(self.key, self.url, self.position, self.title)

    @property
    def label(self):
        return self.link.label

    @property
    def result(self) -> LinkResult:
        return LinkResult(self.url, self.outcome, self.status, self.final_url, self.detail)

    @property
    def is_broken(self) -> bool:
        return self.outcome in BROKEN

    @property
    def needs_attention(self) -> bool:
        """Broken, moved, not a web address or a dated law: something an editor can fix."""
        return self.is_broken or bool(self.finding) or self.outcome in ("moved",)

    @property
    def severity(self) -> str:
        """``error`` (broken), ``warning`` (worth a look) or ``ok``."""
        if self.is_broken:
            return "error"
        if self.finding or self.outcome != "ok":
            return "warning"
        return "ok"

    @property
    def message(self) -> str:
        """In plain words: the finding, else what fetching found."""
        if self.finding:
            return Finding(self.finding, self.suggestion, scheme(self.url)).message
        return self.result.message
