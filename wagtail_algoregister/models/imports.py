"""An import an editor started in the admin: the uploaded file, the choices, the state.

The file is kept in the database (``data``) between the preview and the confirmation:
not in a media folder that a web server might serve, and where every web process and
every task worker, on any machine, finds it. It is emptied once the import has run or
failed, and the job is deleted when the editor cancels or leaves it (see
:func:`wagtail_algoregister.importing.jobs.prune`). What the preview and the import
found is kept as data (:meth:`wagtail_algoregister.importing.ImportResult.as_dict`).

The model lives here because Django discovers only the models that the app's ``models``
package imports; :mod:`wagtail_algoregister.importing.jobs` runs it.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class State(models.TextChoices):
        CHECKING = "checking", _("Being checked")  # the preview, queued or running
        READY = "ready", _("Ready to import")  # the preview is there; waits for "Import"
        IMPORTING = "importing", _("Being imported")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    class Stage(models.TextChoices):
        """Where a running preview or import is (shown as progress)."""

        QUEUED = "queued", _("Waiting for its turn")
        READING = "reading", _("Reading the file")
        CHECKING = "checking", _("Checking the algorithms")
        WRITING = "writing", _("Comparing and saving")
        FINISHED = "finished", _("Finished")

    register = models.ForeignKey(
        "wagtail_algoregister.AlgorithmRegisterPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("register"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    # The uploaded file itself, until the import has run (then emptied).
    data = models.BinaryField(default=b"", editable=False)
    # The choices (wagtail_algoregister.importing.Options).
    publish = models.BooleanField(_("publish"), default=False)
    update = models.BooleanField(_("update existing algorithms"), default=False)
    publication_category = models.CharField(_("publication category"), max_length=100, blank=True)
    merge_old_keys = models.BooleanField(_("merge old fields"), default=False)
    skip_invalid = models.BooleanField(_("leave out refused algorithms"), default=False)
    # The editor's language when they uploaded: a task writes its messages in it.
    language = models.CharField(max_length=20, blank=True)
    # Large files are checked and imported by a task worker.
    background = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.CHECKING
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    preview = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import of algorithms")
        verbose_name_plural = _("imports of algorithms")
        # One permission: "add" lets a group import (Settings → Groups).
        default_permissions = ("add",)
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)
