"""Quality in the admin: a "Quality" tab in the entry's edit view and a report over the
registers (Reports menu). Both read :mod:`wagtail_algoregister.quality`; links come from
the stored results of the link checker (``models.LinkCheck``)."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import Panel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.quality.completeness import completeness
from wagtail_algoregister.quality.entries import entry_values, page_links
from wagtail_algoregister.quality.language import TARGET_SCORE, check_language
from wagtail_algoregister.quality.linkcheck import BROKEN
from wagtail_algoregister.quality.links import static_findings
from wagtail_algoregister.quality.review import due_filter, review_state


def entry_quality(page) -> dict:
    """What the tab and the report show of one entry (its content as read)."""
    values = entry_values(page)
    return {
        "completeness": completeness(values),
        "language": check_language(values),
        "review": review_state(page.next_review_date),
    }


class QualityPanel(Panel):
    """The entry's quality, read-only, for the tab "Quality" of the edit view.

    Completeness, language and the links' findings are worked out from the version
    being edited (the latest draft); the fetched results are those of the published
    version, from the last link check.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_algoregister/admin/quality_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            quality = entry_quality(page)
            language = quality["language"]
            labels = {d.key: d.label for d in standard.input_fields().values()}
            # One item per sentence, with every piece of advice about it.
            hints = {}
            for hint in language.hints:
                item = hints.setdefault(
                    (hint.key, hint.start),
                    {
                        "label": labels.get(hint.key, hint.key),
                        "sentence": hint.sentence,
                        "messages": [],
                    },
                )
                item["messages"].append(hint.message)
            hints = list(hints.values())
            checks = list(page.link_checks.all()) if page.pk else []
            draft_findings = [
                {"link": link, "finding": finding}
                for link in page_links(page)
                for finding in static_findings(link.url)
            ]
            context.update(
                quality,
                hints=hints,
                target_score=TARGET_SCORE,
                link_checks=[c for c in checks if c.severity != "ok"],
                links_ok=sum(1 for c in checks if c.severity == "ok"),
                checked_at=max((c.checked_at for c in checks), default=None),
                draft_findings=draft_findings,
            )
            return context


# -- the report -------------------------------------------------------------------


def _broken():
    return Count("link_checks", filter=Q(link_checks__outcome__in=BROKEN), distinct=True)


def _to_look_at():
    return Count(
        "link_checks",
        filter=~Q(link_checks__finding="") | Q(link_checks__outcome="moved"),
        distinct=True,
    )


class QualityFilterSet(WagtailFilterSet):
    register = django_filters.ModelChoiceFilter(
        label=_("Register"),
        queryset=AlgorithmRegisterPage.objects.order_by("title"),
        method="filter_register",
        empty_label=_("All registers"),
    )
    problem = django_filters.ChoiceFilter(
        label=_("Show"),
        empty_label=_("All entries"),
        choices=[
            ("broken", _("Links that do not work")),
            ("links", _("Links to look at")),
            ("review", _("Review due")),
        ],
        method="filter_problem",
    )

    class Meta:
        model = AlgorithmPage
        fields = []

    def filter_register(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset

    def filter_problem(self, queryset, name, value):
        if value == "broken":
            return queryset.filter(broken_links__gt=0)
        if value == "links":
            return queryset.filter(Q(broken_links__gt=0) | Q(links_to_look_at__gt=0))
        if value == "review":
            return queryset.filter(due_filter())
        return queryset


class TextColumn(Column):
    """A column whose value the view worked out per row (``row_values[name]``)."""

    def get_value(self, instance):
        return instance.quality_row.get(self.name, "")


class QualityReportView(ReportView):
    page_title = _("Quality of algorithms")
    header_icon = "tasks"
    index_url_name = "algoregister_quality:report"
    index_results_url_name = "algoregister_quality:report_results"
    filterset_class = QualityFilterSet
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 25
    list_export = ["title", "completeness", "residents", "language", "links", "review"]
    export_headings = {
        "title": _("Algorithm"),
        "completeness": _("Filled in"),
        "residents": _("Empty, and important for residents"),
        "language": _("Language (B1)"),
        "links": _("Links"),
        "review": _("Review"),
    }

    @cached_property
    def permission_policy(self):
        return PagePermissionPolicy()

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Algorithm"),
                url_name="wagtailadmin_pages:edit",
            ),
            *[
                TextColumn(name, label=label)
                for name, label in self.export_headings.items()
                if name != "title"
            ],
        ]

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return (
            AlgorithmPage.objects.filter(pk__in=editable.values("pk"))
            .annotate(broken_links=_broken(), links_to_look_at=_to_look_at())
            .order_by("title")
        )

    def decorate_paginated_queryset(self, pages):
        for page in pages:
            page.quality_row = row_values(page)
        return pages

    def to_row_dict(self, item):
        # The spreadsheet export: the same words as the table.
        values = getattr(item, "quality_row", None) or row_values(item)
        return {"title": item.title, **values}


def row_values(page) -> dict:
    quality = entry_quality(page)
    filled = quality["completeness"]
    language = quality["language"]
    review = quality["review"]
    score = language.score
    broken = getattr(page, "broken_links", 0)
    look = getattr(page, "links_to_look_at", 0)
    if broken or look:
        links = ", ".join(
            part
            for part in (
                ngettext("%(n)s does not work", "%(n)s do not work", broken) % {"n": broken}
                if broken
                else "",
                ngettext("%(n)s to look at", "%(n)s to look at", look) % {"n": look}
                if look
                else "",
            )
            if part
        )
    elif page.live and page.link_checks.exists():
        links = str(_("All work"))
    else:
        links = str(_("Not checked yet"))
    if review.date is None:
        review_text = ""
    elif review.is_overdue:
        review_text = str(_("%(date)s: overdue")) % {"date": review.date.strftime("%d-%m-%Y")}
    elif review.is_due:
        review_text = str(_("%(date)s: soon")) % {"date": review.date.strftime("%d-%m-%Y")}
    else:
        review_text = review.date.strftime("%d-%m-%Y")
    return {
        "completeness": str(_("%(filled)s of %(total)s"))
        % {"filled": filled.filled_count, "total": filled.total},
        "residents": ", ".join(str(t.label) for t in filled.missing_for_residents),
        "language": (
            str(_("%(score)s (%(level)s), %(hints)s tips"))
            % {"score": round(score), "level": language.level, "hints": len(language.hints)}
            if score is not None
            else ""
        ),
        "links": links,
        "review": review_text,
    }
