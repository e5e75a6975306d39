"""The link groupings of the standard (legal basis, impact assessments, source data):
ordered rows of a title and a link, edited inline on the entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from wagtail_algoregister import standard
from wagtail_algoregister.models.cleaning import clean_text_fields
from wagtail_algoregister.models.link_values import kept_text_link
from wagtail_algoregister.standard.validation import validate_value


class StandardLink(Orderable):
    """One item of a link grouping of the standard: a title and a link."""

    grouping = ""  # the standard's key, set by subclasses

    class Meta(Orderable.Meta):
        abstract = True
        # Rows made in code or by an import may all lack a sort order: then the order they
        # were stored in, the same on every database (PostgreSQL has no order of its own).
        ordering = ["sort_order", "pk"]

    @property
    def definition(self):
        return standard.get(self.grouping)

    def clean(self):
        super().clean()
        rows, problems = validate_value(
            self.definition,
            [{"title": self.title, "link": self.link}],
            text_links=kept_text_link(self),
        )
        if rows:
            self.title, self.link = rows[0]["title"], rows[0]["link"]
        # A draft keeps an unfinished row (see AlgorithmPage.clean); publishing checks it.
        if problems and not getattr(self, "is_deferred_validation", False):
            raise ValidationError(problems)

    def save(self, *args, **kwargs):
        # The text gate, also for rows saved in code (see models.cleaning).
        clean_text_fields(self)
        return super().save(*args, **kwargs)

    def __str__(self):
        return self.title


def _link_fields(key):
    # No limit in the database: the standard's limits are checked on publish (see
    # fields.model_field), so a draft keeps what was typed.
    items = standard.get(key).items
    title, link = items["title"], items["link"]
    return {
        "title": models.TextField(verbose_name=title.label, help_text=title.help_text),
        "link": models.TextField(
            verbose_name=link.label, help_text=link.help_text, blank=not link.required
        ),
    }


class LawfulBasisLink(StandardLink):
    grouping = "lawful_basis_grouping"
    page = ParentalKey(
        "wagtail_algoregister.AlgorithmPage",
        on_delete=models.CASCADE,
        related_name="lawful_basis_grouping",
    )
    locals().update(_link_fields("lawful_basis_grouping"))

    class Meta(StandardLink.Meta):
        verbose_name = _("legal basis link")
        verbose_name_plural = _("legal basis links")


class ImpactAssessment(StandardLink):
    grouping = "impacttoetsen_grouping"
    page = ParentalKey(
        "wagtail_algoregister.AlgorithmPage",
        on_delete=models.CASCADE,
        related_name="impacttoetsen_grouping",
    )
    locals().update(_link_fields("impacttoetsen_grouping"))

    class Meta(StandardLink.Meta):
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")


class SourceDataLink(StandardLink):
    grouping = "source_data_grouping"
    page = ParentalKey(
        "wagtail_algoregister.AlgorithmPage",
        on_delete=models.CASCADE,
        related_name="source_data_grouping",
    )
    locals().update(_link_fields("source_data_grouping"))

    class Meta(StandardLink.Meta):
        verbose_name = _("data source link")
        verbose_name_plural = _("data source links")
