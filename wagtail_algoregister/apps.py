from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailAlgoregisterConfig(AppConfig):
    name = "wagtail_algoregister"
    label = "wagtail_algoregister"
    verbose_name = _("Algorithm register")
    # Fixed so host projects with another DEFAULT_AUTO_FIELD get no migrations in our package.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: models can only be imported once the app registry is ready.
        from wagtail_algoregister import checks  # noqa: F401 - registers the system checks
        from wagtail_algoregister.admin.forms import AlgorithmPageForm
        from wagtail_algoregister.admin.panels import entry_edit_handler
        from wagtail_algoregister.models import AlgorithmPage

        # The admin's form and tabs for entries; set here so the models know no admin code.
        AlgorithmPage.base_form_class = AlgorithmPageForm
        AlgorithmPage.edit_handler = entry_edit_handler()
