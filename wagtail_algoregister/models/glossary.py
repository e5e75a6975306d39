"""Words explained: one snippet per term and language (see :mod:`wagtail_algoregister.glossary`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, TranslatableMixin

from wagtail_algoregister.glossary.matching import Glossary, Term, split_variants


class GlossaryTerm(TranslatableMixin, models.Model):
    term = models.CharField(_("word"), max_length=100)
    variants = models.CharField(
        _("other forms"),
        max_length=300,
        blank=True,
        help_text=_(
            "Other forms with the same meaning, separated by commas: a plural, or the full name of an abbreviation. These are explained too."
        ),
    )
    definition = models.TextField(
        _("explanation"),
        max_length=700,
        help_text=_(
            "Explain the word in plain language (level B1), in two or three short sentences."
        ),
    )
    slug = models.SlugField(
        _("anchor"),
        max_length=100,
        blank=True,
        help_text=_(
            "The last part of the link to this word on the glossary page. Made from the word when left empty."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = ["term", "variants", "definition", "slug"]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("word explained")
        verbose_name_plural = _("words explained")
        ordering = ["term"]
        unique_together = [("translation_key", "locale"), ("locale", "slug")]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.term)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.slug = self.slug or slugify(self.term)
        if not self.slug:
            raise ValidationError({"slug": _("Enter an anchor of letters, digits and hyphens.")})
        others = GlossaryTerm.objects.filter(locale_id=self.locale_id, slug=self.slug)
        if others.exclude(pk=self.pk).exists():
            raise ValidationError({"slug": _("Another word in this language has this anchor.")})

    def as_term(self) -> Term:
        return Term(self.slug, self.term, self.definition, tuple(split_variants(self.variants)))

    @classmethod
    def active_glossary(cls, url="") -> Glossary:
        """The words explained in the active language's locale (the default locale if it has none)."""
        try:
            locale_id = Locale.get_active().pk
        except Locale.DoesNotExist:  # a site without locales: nothing to explain
            return Glossary([], url=url)
        return cls.glossary(locale_id, url=url)

    @classmethod
    def glossary(cls, locale_id, url="") -> Glossary:
        """The words explained of one locale (one query), linking to the glossary page at ``url``."""
        terms = sorted(cls.objects.filter(locale_id=locale_id), key=lambda t: t.term.casefold())
        return Glossary([term.as_term() for term in terms], url=url)
