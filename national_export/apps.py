from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalExportConfig(AppConfig):
    name = "national_export"
    # A distinct label: "national_export" alone could clash with a host project's own app.
    label = "algoregister_national_export"
    verbose_name = _("National register export")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # app loading: the checks and handlers import the models, which need a ready app registry.
        from . import checks  # noqa: F401 (registers the settings check)
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
