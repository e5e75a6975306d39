from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class WagtailAlgoregisterConfig(AppConfig):
    name = "wagtail_algoregister"
    label = "wagtail_algoregister"
    verbose_name = _("Algorithm register")
    # Fixed so host projects with another DEFAULT_AUTO_FIELD get no migrations in our package.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # app loading: models can only be imported once the app registry is ready.
        from wagtail.models import Locale

        # app loading: these modules import the models too.
        from wagtail_algoregister import checks  # noqa: F401 (registers the system checks)
        from wagtail_algoregister.admin.forms import AlgorithmPageForm
        from wagtail_algoregister.admin.panels import entry_edit_handler, register_content_panels
        from wagtail_algoregister.glossary.seed import seed_new_locale
        from wagtail_algoregister.history import notes
        from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
        from wagtail_algoregister.quality.tasks import register_signal_handlers
        from wagtail_algoregister.sync import signals
        from wagtail_algoregister.warmup import connect_signals

        notes.connect()
        # A new locale gets the shipped words explained in its language.
        post_save.connect(seed_new_locale, sender=Locale, dispatch_uid="algoregister_glossary")

        # The admin's form and tabs for entries; set here so the models know no admin code.
        AlgorithmPage.base_form_class = AlgorithmPageForm
        AlgorithmPage.edit_handler = entry_edit_handler()
        AlgorithmRegisterPage.content_panels = register_content_panels()
        # Warm the register pages' caches after every change that makes them stale.
        connect_signals()
        # What changes a public entry queues its sync at every configured exporter.
        signals.connect()
        # Publishing an entry queues a check of its links.
        register_signal_handlers()
