"""The admin's import and downloads: one viewset (menu item "Import and download").

- the start page: the upload form, the register's files to download, the editor's
  recent imports (:class:`ImportIndexView`);
- one page per import (:class:`JobView`), which shows what the import is at: its
  progress while a task works on it, then the preview with "Import", or what it did;
  the same page checks the file again with other choices;
- "Import" (:class:`ConfirmView`), "Cancel" (:class:`CancelView`), the progress as
  JSON for the page's script (:class:`StatusView`) and every message as a spreadsheet
  (:class:`MessagesCsvView`).

Pages work without JavaScript: a running import's page has a button that loads it
again, and ``js/import-progress.js`` updates it by itself where scripts run (a meta
refresh would move the page under a screen reader's user, WCAG 2.2.1).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, Table, TitleColumn
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Page

from wagtail_algoregister.formats.csv_safety import escape_cell
from wagtail_algoregister.importing import Action, ImportResult, jobs
from wagtail_algoregister.models import ImportJob

from . import preview
from .forms import PUBLISH, ImportOptionsForm, ImportUploadForm, SizeLimitUploadHandler
from .permissions import (
    import_registers,
    jobs_for,
    may_import,
    may_publish,
    may_update,
    permission_policy,
)


URL_NAMESPACE = "algoregister_import"
INDEX_TITLE = gettext_lazy("Import and download")
State, Stage = ImportJob.State, ImportJob.Stage
# A job still waiting for a task worker after this gets a hint that none may be running.
WAITING_HINT_AFTER = timedelta(minutes=2)
RECENT = 10

FILES = (
    ("export.csv", gettext_lazy("CSV")),
    ("export.xlsx", gettext_lazy("Excel (XLSX)")),
    ("export.json", gettext_lazy("JSON")),
    ("catalog.ttl", gettext_lazy("Catalogue (DCAT)")),
    ("feed.atom", gettext_lazy("News feed (Atom)")),
)


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def downloads(registers, request) -> list[dict]:
    """Per register its public files; none while it is not public (they would not exist)."""
    public = set(
        Page.objects.live()
        .public()
        .filter(pk__in=[r.pk for r in registers])
        .values_list("pk", flat=True)
    )
    found = []
    several_languages = len({r.locale_id for r in registers}) > 1
    for register in registers:
        base = register.get_url(request) if register.pk in public else None
        if base and not base.endswith("/"):
            base += "/"
        found.append(
            {
                "register": register,
                "label": f"{register.title} ({register.locale.get_display_name()})"
                if several_languages
                else register.title,
                "files": [{"label": label, "url": f"{base}{name}"} for name, label in FILES]
                if base
                else [],
            }
        )
    return found


class ImportViewMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    permission_policy = permission_policy
    permission_required = "add"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": INDEX_TITLE},
            {"url": "", "label": self.get_page_title()},
        ]


class JobMixin(ImportViewMixin):
    """A view of one of the editor's own imports."""

    @cached_property
    def job(self) -> ImportJob:
        return get_object_or_404(jobs_for(self.request.user), pk=self.kwargs["pk"])


@method_decorator(csrf_exempt, name="dispatch")
class ImportIndexView(ImportViewMixin, FormView):
    template_name = "wagtail_algoregister/admin/imports/index.html"
    form_class = ImportUploadForm
    page_title = INDEX_TITLE

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": INDEX_TITLE}]

    def dispatch(self, request, *args, **kwargs):
        # The size limit applies while the file arrives, so the handler goes in before
        # the request body is read; the CSRF check, which reads it, comes after.
        self.upload_handler = None
        if request.method == "POST":
            self.upload_handler = SizeLimitUploadHandler(request)
            request.upload_handlers.insert(0, self.upload_handler)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    @cached_property
    def registers(self):
        # Those in the editor's language first.
        language = translation.get_language() or ""
        registers = list(import_registers(self.request.user))
        return sorted(registers, key=lambda r: r.locale.language_code != language)

    def get_initial(self):
        # The register asked for (from its page's "Import"), else one in the editor's
        # language.
        chosen = self.request.GET.get("register", "")
        register = next((r for r in self.registers if str(r.pk) == chosen), None)
        return {"register": register or (self.registers[0] if self.registers else None)}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "registers": import_registers(self.request.user),
            "upload_handler": self.upload_handler,
        }

    def form_valid(self, form):
        jobs.prune()
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            register=form.cleaned_data["register"],
            user=self.request.user,
            file_name=upload.name[:255],
            file_size=upload.size,
            data=upload.read(),
            language=translation.get_language() or "",
            **form.options(),
        )
        jobs.start_preview(job)
        return redirect(url("job", job.pk))

    def recent_jobs(self):
        jobs_ = list(jobs_for(self.request.user)[:RECENT])
        if not jobs_:
            return None
        return Table(
            [
                TitleColumn(
                    "file_name",
                    label=_("File"),
                    get_url=lambda job: url("job", job.pk),
                ),
                Column("register", label=_("Register"), accessor="register.title"),
                Column("state", label=_("State"), accessor="get_state_display"),
                Column("user", label=_("By"), accessor="user"),
                DateColumn("created_at", label=_("Started")),
            ],
            jobs_,
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "has_registers": bool(self.registers),
            "downloads": downloads(self.registers, self.request),
            "recent": self.recent_jobs(),
        }


def progress_text(job: ImportJob) -> str:
    checking = job.state == State.CHECKING
    texts = {
        Stage.QUEUED: _("Waiting for its turn."),
        Stage.READING: _("Step 1 of 3: reading the file."),
        Stage.CHECKING: _("Step 2 of 3: checking the algorithms.")
        if checking
        else _("Step 2 of 3: checking the algorithms once more."),
        Stage.WRITING: _("Step 3 of 3: comparing with the register.")
        if checking
        else _("Step 3 of 3: saving, all at once."),
        Stage.FINISHED: _("Finished."),
    }
    return texts.get(job.stage, "")


def count_text(job: ImportJob) -> str:
    if job.stage == Stage.CHECKING and job.total:
        return _("%(done)s of %(total)s algorithms checked.") % {
            "done": job.done,
            "total": job.total,
        }
    if job.stage == Stage.WRITING and job.total:
        return _("%(total)s algorithms.") % {"total": job.total}
    return ""


class JobView(JobMixin, TemplateView):
    """What an import is at; POST checks the file again with other choices."""

    template_name = "wagtail_algoregister/admin/imports/job.html"

    def get_page_title(self):
        return self.job.file_name

    def options_form(self, data=None):
        job = self.job
        return ImportOptionsForm(
            data,
            user=self.request.user,
            register=job.register,
            initial={
                "publish": PUBLISH if job.publish else "draft",
                "update": job.update,
                "merge_old_keys": job.merge_old_keys,
                "publication_category": job.publication_category,
            },
        )

    def post(self, request, *args, **kwargs):
        job = self.job
        if job.state not in (State.READY,):
            return redirect(url("job", job.pk))
        form = self.options_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(options_form=form))
        for name, value in form.options().items():
            setattr(job, name, value)
        job.save(update_fields=[*form.options(), "updated_at"])
        jobs.start_preview(job)
        return redirect(url("job", job.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context.update(
            job=job,
            State=State,
            status_url=url("status", job.pk),
            report_url=url("report", job.pk),
            explore_url=reverse("wagtailadmin_explore", args=(job.register_id,)),
            index_url=url("index"),
        )
        if job.is_running:
            context.update(
                progress_text=progress_text(job),
                count_text=count_text(job),
                waiting_long=job.stage == Stage.QUEUED
                and timezone.now() - job.updated_at > WAITING_HINT_AFTER,
            )
            return context
        data = job.result if job.state == State.DONE or job.result else job.preview
        result = ImportResult.from_dict(data) if data else None
        context["result"] = result
        if result is None:
            return context
        counts = result.counts()
        context.update(
            in_preview=job.state == State.READY,
            groups=preview.groups(result, preview=job.state == State.READY),
            refused=preview.refused(result) if job.state == State.FAILED else [],
            file_messages=result.messages,
            counts=counts,
            to_write=counts[Action.CREATED] + counts[Action.UPDATED],
        )
        if job.state == State.READY:
            context["options_form"] = kwargs.get("options_form") or self.options_form()
        return context


class ConfirmView(JobMixin, View):
    """ "Import": the preview's import, for real (POST)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        job = self.job
        if job.state != State.READY:
            return redirect(url("job", job.pk))
        # The rights may have changed since the preview.
        if (job.publish and not may_publish(request.user, job.register)) or (
            job.update and not may_update(request.user, job.register)
        ):
            messages.error(request, _("You may no longer do this in this register."))
            return redirect(url("job", job.pk))
        jobs.start_import(job, skip_invalid=request.POST.get("skip_invalid") == "1")
        return redirect(url("job", job.pk))


class CancelView(JobMixin, View):
    """Cancel an import that has not started writing: the job and its file are deleted."""

    http_method_names = ["post"]

    def post(self, request, pk):
        job = self.job
        if job.state in (State.CHECKING, State.READY):
            ImportJob.objects.filter(pk=job.pk, state__in=(State.CHECKING, State.READY)).delete()
            messages.success(
                request,
                _("The import of %(file)s was cancelled; the file has been removed.")
                % {"file": job.file_name},
            )
            return redirect(url("index"))
        return redirect(url("job", job.pk))


class StatusView(JobMixin, View):
    """A running import's progress, for ``js/import-progress.js``."""

    def get(self, request, pk):
        job = self.job
        return JsonResponse(
            {
                "state": job.state,
                "stage": job.stage,
                "done": job.done,
                "total": job.total,
                "text": progress_text(job),
                "count": count_text(job),
            }
        )


class MessagesCsvView(JobMixin, View):
    """Every entry of the preview or the import with its messages, as CSV for a
    spreadsheet: what the page shows, without its limit per group."""

    def rows(self, result: ImportResult, headings):
        kinds = (("errors", _("Refused")), ("warnings", _("Warning")), ("notes", _("Note")))
        for entry in result.entries:
            what = str(headings[entry.action]) if entry.action else ""
            lines = [
                (kind, m.key, m.line())
                for attribute, kind in kinds
                for m in getattr(entry, attribute)
            ]
            lines += [
                (
                    _("Change"),
                    c.key,
                    f"{preview.display_value(c.key, c.before) or '–'} → "
                    f"{preview.display_value(c.key, c.after) or '–'}",
                )
                for c in entry.changes
            ]
            for kind, key, text in lines or [("", "", "")]:
                label = preview.field_label(key) if key else ""
                yield [entry.label, entry.name, what, kind, label, text]

    def get(self, request, pk):
        job = self.job
        data = job.result or job.preview
        if not data:
            raise Http404
        headings = preview.RESULT_HEADINGS if job.result else preview.PREVIEW_HEADINGS
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                _("Where in the file"),
                _("Name"),
                _("What happens"),
                _("Kind"),
                _("Field"),
                _("Message"),
            ]
        )
        for row in self.rows(ImportResult.from_dict(data), headings):
            writer.writerow([escape_cell(str(cell)) for cell in row])
        # With a byte order mark, so that Excel reads it as UTF-8.
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        stem = job.file_name.rsplit(".", 1)[0] or "import"
        response["Content-Disposition"] = content_disposition_header(True, f"{stem}-report.csv")
        return response


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


class ImportViewSet(ViewSet):
    name = URL_NAMESPACE
    url_prefix = "algorithm-import"
    icon = "upload"
    # Short enough for the sidebar; the page says "Import and download".
    menu_label = gettext_lazy("Import")
    menu_name = "algoregister-import"
    # In the main menu, after Pages: where an editor who keeps the register looks.
    add_to_admin_menu = True
    menu_order = 150

    menu_item_class = ImportMenuItem  # shown to those who may import

    def get_urlpatterns(self):
        return [
            path("", ImportIndexView.as_view(), name="index"),
            path("<int:pk>/", JobView.as_view(), name="job"),
            path("<int:pk>/import/", ConfirmView.as_view(), name="confirm"),
            path("<int:pk>/cancel/", CancelView.as_view(), name="cancel"),
            path("<int:pk>/status/", StatusView.as_view(), name="status"),
            path("<int:pk>/report.csv", MessagesCsvView.as_view(), name="report"),
        ]
