"""The upload form, the editor's choices, and the limit on what an upload may hold."""

from __future__ import annotations

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister import standard
from wagtail_algoregister.importing.limits import LimitExceeded, Limits, check_file_size

from .permissions import may_publish, may_update


DRAFT, PUBLISH = "draft", "publish"


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file once it is larger than ``IMPORT_MAX_FILE_SIZE``.

    Django's own handlers would first store all of it (in memory, then a temporary
    file); this one, put in front of them, skips the rest of a file beyond the limit
    so that nothing more of it is kept, and remembers it for the form to say so.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limits = Limits.from_settings()
        self.request_size = 0
        self.too_large = {}  # field name: file name

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_size = content_length or 0

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limits.max_file_size:
            self.too_large[self.field_name] = self.file_name
            raise SkipFile()
        return raw_data  # on to the next handler, which stores it

    def file_complete(self, file_size):
        return None  # the next handler makes the file


class ImportOptionsForm(forms.Form):
    """What the command's options are to an editor (``Options``); the register is
    given by the caller (the upload form's field, or the job being checked again)."""

    publish = forms.ChoiceField(
        label=_("New and changed algorithms"),
        choices=[
            (DRAFT, _("Save as drafts: you check them and publish them yourself")),
            (PUBLISH, _("Publish them at once")),
        ],
        initial=DRAFT,
        widget=forms.RadioSelect,
    )
    update = forms.BooleanField(
        label=_("Update algorithms that are in the register already"),
        required=False,
        help_text=_(
            "An algorithm in the file with the same source id (source_id) or national ID "
            "(LARS) as one in the register gets a new version with what the file says. "
            "Without this choice it stays as it is."
        ),
    )
    merge_old_keys = forms.BooleanField(
        label=_("Merge old fields"),
        required=False,
        help_text=_(
            "Some files of version 1.0 still hold fields of older versions (templates of "
            "suppliers, for example). Without this choice those fields are left out, as "
            "the national register does; with it their text is added to the field of "
            "version 1.0 it belongs in. The preview says which fields these are."
        ),
    )
    publication_category = forms.ChoiceField(
        label=_("Publication category for files of older versions"),
        required=False,
        help_text=_(
            "Files of a version of the standard before 1.0 have no publication category. "
            "Choose the category these algorithms get; algorithms in the file that have "
            "one keep theirs. It is never guessed."
        ),
    )

    def __init__(self, *args, user=None, register=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.register = register
        self.fields["publication_category"].choices = [
            ("", _("None: the file says it")),
            *standard.get("publication_category").choices,
        ]

    def chosen_register(self):
        return self.register

    def clean(self):
        cleaned = super().clean()
        register = self.chosen_register()
        if register is None or self.user is None:
            return cleaned
        if cleaned.get("publish") == PUBLISH and not may_publish(self.user, register):
            self.add_error(
                "publish",
                _(
                    "You may not publish in this register: save the algorithms as drafts, "
                    "and someone who may publish can publish them."
                ),
            )
        if cleaned.get("update") and not may_update(self.user, register):
            self.add_error(
                "update",
                _("You may not change the algorithms of this register that others made."),
            )
        return cleaned

    def options(self) -> dict:
        """The choices as the fields of an import job."""
        return {
            "publish": self.cleaned_data["publish"] == PUBLISH,
            "update": self.cleaned_data["update"],
            "merge_old_keys": self.cleaned_data["merge_old_keys"],
            "publication_category": self.cleaned_data["publication_category"],
        }


class RegisterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Registers of several languages: which one is which.
        if self.several_languages:
            return f"{obj.title} ({obj.locale.get_display_name()})"
        return obj.title


class ImportUploadForm(ImportOptionsForm):
    register = RegisterChoiceField(
        label=_("Register"),
        queryset=None,
        empty_label=None,
        help_text=_("The register the algorithms go into."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "JSON, CSV or Excel (XLSX): a download of the national Algorithm Register "
            "(any version of the standard), a template of a supplier, a download of this "
            "site, or the Eurocities template (CSV). At most %(size)s MB."
        ),
    )
    field_order = [
        "register",
        "file",
        "publish",
        "update",
        "publication_category",
        "merge_old_keys",
    ]

    def __init__(self, *args, registers=None, upload_handler=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_handler = upload_handler
        self.fields["register"].queryset = registers
        self.fields["register"].several_languages = (
            len({r.locale_id for r in registers}) > 1 if registers is not None else False
        )
        limits = Limits.from_settings()
        self.max_size = limits.max_file_size
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": f"{limits.max_file_size / (1024 * 1024):.0f}"
        }

    def chosen_register(self):
        return self.cleaned_data.get("register")

    def clean_file(self):
        too_large = self.upload_handler.too_large if self.upload_handler else {}
        upload = self.cleaned_data.get("file")
        name = too_large.get("file") or (upload.name if upload else "")
        size = self.upload_handler.request_size if "file" in too_large else upload.size
        try:
            if "file" in too_large:
                # Only what came before the limit was read: the request's size says how
                # large the file is (give or take the other fields).
                check_file_size(max(size, self.max_size + 1), Limits.from_settings())
            check_file_size(size, Limits.from_settings())
        except LimitExceeded as error:
            raise forms.ValidationError(f"{name}: {error}") from error
        return upload

    def full_clean(self):
        # A file skipped for its size is not in the upload: say why, not "required".
        if self.upload_handler and "file" in self.upload_handler.too_large:
            self.fields["file"].required = False
        super().full_clean()
