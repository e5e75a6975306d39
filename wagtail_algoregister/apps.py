from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailAlgoregisterConfig(AppConfig):
    name = "wagtail_algoregister"
    label = "wagtail_algoregister"
    verbose_name = _("Algorithm register")
    # Fixed so host projects with another DEFAULT_AUTO_FIELD get no migrations in our package.
    default_auto_field = "django.db.models.BigAutoField"
