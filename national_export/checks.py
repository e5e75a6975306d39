"""``manage.py check`` (and every command that runs it: migrate, runserver) names a bad
setting of the national register, e.g. a URL that is not https, before the first
publish runs into it."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .conf import get_config


@checks.register(checks.Tags.compatibility)
def check_national_register(app_configs=None, **kwargs):
    try:
        get_config()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="algoregister_national_export.E001")]
    return []
