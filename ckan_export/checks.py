"""``manage.py check`` (and every command that runs it: migrate, runserver) names a bad
portal setting, e.g. a URL that is not https, before the first publish runs into it."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .conf import portals


@checks.register(checks.Tags.compatibility)
def check_portals(app_configs=None, **kwargs):
    try:
        portals()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="algoregister_ckan_export.E001")]
    return []
