from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CkanExportConfig(AppConfig):
    """Installed for its translations, its command and the migration that moved its
    records into the shared ``SyncRecord``; the exporter itself is configured in
    ``WAGTAIL_ALGOREGISTER["EXPORTERS"]``."""

    name = "ckan_export"
    # A distinct label: "ckan_export" alone could clash with a host project's own app.
    label = "algoregister_ckan_export"
    verbose_name = _("CKAN export")
    default_auto_field = "django.db.models.BigAutoField"
