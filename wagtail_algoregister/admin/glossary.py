"""The words explained, as snippets: editors change, add or remove them per language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_algoregister.models import GlossaryTerm


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Words explained")
    list_display = ["term", Column("definition", label=_("Explanation"))]
    search_fields = ["term", "variants", "definition"]
    ordering = ["term"]
