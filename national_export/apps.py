from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalExportConfig(AppConfig):
    """Installed for its translations, its command and the migration that moved its
    records into the shared ``SyncRecord``; the exporter itself is configured in
    ``WAGTAIL_ALGOREGISTER["EXPORTERS"]``."""

    name = "national_export"
    # A distinct label: "national_export" alone could clash with a host project's own app.
    label = "algoregister_national_export"
    verbose_name = _("National register export")
    default_auto_field = "django.db.models.BigAutoField"
