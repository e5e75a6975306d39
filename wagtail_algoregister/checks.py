"""System checks of the settings (``manage.py check``), so that a mistake shows when the
site starts rather than when an editor publishes.

Ids: ``wagtail_algoregister.E0xx`` (the site does not work as configured) and
``W0xx`` (it works, but probably not as meant). Each message says which setting and
why; each hint says what to write instead.
"""

from __future__ import annotations

import pprint

from django.conf import settings
from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver
from django.utils.module_loading import import_string

from wagtail_algoregister.conf import DEFAULTS, algoregister_settings
from wagtail_algoregister.sync.base import BaseExporter


ID = "wagtail_algoregister"
# Keys that moved into EXPORTERS, with the backend that reads them now.
MOVED = {
    "CKAN_PORTALS": "ckan_export.exporter.CkanExporter",
    "NATIONAL_REGISTER": "national_export.exporter.NationalExporter",
}
SECRETS = ("TOKEN", "PASSWORD", "USERNAME")
FILE_URLS = "wagtail_algoregister_file"  # wagtail_algoregister.urls
WAGTAIL_PAGES = "wagtail_serve"  # wagtail.urls: every other path is a page


def user_settings() -> dict:
    value = getattr(settings, "WAGTAIL_ALGOREGISTER", None) or {}
    return value if isinstance(value, dict) else {}


def moved_to_exporters(old: dict) -> dict:
    """The EXPORTERS entries that say what ``CKAN_PORTALS``/``NATIONAL_REGISTER`` said
    (secrets left out: they belong in the environment)."""
    exporters = {}

    def entry(backend, spec):
        spec = spec if isinstance(spec, dict) else {}
        return {
            "BACKEND": backend,
            **{k: ("<from the environment>" if k in SECRETS else v) for k, v in spec.items()},
        }

    for name, spec in (old.get("CKAN_PORTALS") or {}).items():
        exporters[name] = entry(MOVED["CKAN_PORTALS"], spec)
    national = old.get("NATIONAL_REGISTER") or {}
    if national.get("URL"):
        # The records of the national register moved to the exporter named "national".
        exporters["national"] = entry(MOVED["NATIONAL_REGISTER"], national)
    return exporters


@checks.register()
def check_setting_keys(app_configs=None, **kwargs):
    """The old exporter keys (E001), and keys this version does not know (W001)."""
    messages = []
    user = user_settings()
    moved = [key for key in MOVED if key in user]
    if moved:
        exporters = {**moved_to_exporters(user), **(user.get("EXPORTERS") or {})}
        messages.append(
            checks.Error(
                f"WAGTAIL_ALGOREGISTER[{moved[0]!r}] is no longer read"
                + (f" (nor {', '.join(repr(k) for k in moved[1:])})" if moved[1:] else "")
                + ": every export target is now an entry of WAGTAIL_ALGOREGISTER['EXPORTERS'].",
                hint="Remove "
                + " and ".join(repr(k) for k in moved)
                + " and write instead:\n"
                + pprint.pformat({"EXPORTERS": exporters}, sort_dicts=False, width=90),
                id=f"{ID}.E001",
            )
        )
    for key in user:
        if key not in DEFAULTS and key not in MOVED:
            messages.append(
                checks.Warning(
                    f"WAGTAIL_ALGOREGISTER has an unknown key {key!r}; it is not read.",
                    hint=f"Known keys: {', '.join(sorted(DEFAULTS))}.",
                    id=f"{ID}.W001",
                )
            )
    return messages


@checks.register()
def check_exporters(app_configs=None, **kwargs):
    """Each exporter: its BACKEND (E010, E011), its options (E012), and the environment
    variables it names for secrets (W010)."""
    exporters = user_settings().get("EXPORTERS") or {}
    if not isinstance(exporters, dict):
        return [
            checks.Error(
                "WAGTAIL_ALGOREGISTER['EXPORTERS'] must be a dict of {name: {'BACKEND': ..., "
                f"options}}, not {type(exporters).__name__}.",
                id=f"{ID}.E010",
            )
        ]
    messages = []
    for name, spec in exporters.items():
        where = f"WAGTAIL_ALGOREGISTER['EXPORTERS'][{name!r}]"
        if not isinstance(spec, dict) or not spec.get("BACKEND"):
            messages.append(
                checks.Error(
                    f"{where} has no BACKEND.",
                    hint="Give the dotted path of the exporter, e.g. "
                    "'ckan_export.exporter.CkanExporter' or "
                    "'national_export.exporter.NationalExporter', beside its options.",
                    id=f"{ID}.E010",
                )
            )
            continue
        try:
            backend = import_string(spec["BACKEND"])
        except ImportError as e:
            messages.append(
                checks.Error(
                    f"{where}: BACKEND {spec['BACKEND']!r} cannot be imported ({e}).",
                    hint="Check the dotted path. The CKAN exporter needs the extra "
                    "'pip install wagtail-algoregister[ckan]'.",
                    id=f"{ID}.E011",
                )
            )
            continue
        if not (isinstance(backend, type) and issubclass(backend, BaseExporter)):
            messages.append(
                checks.Error(
                    f"{where}: BACKEND {spec['BACKEND']!r} is not an exporter.",
                    hint="It must be a subclass of wagtail_algoregister.sync.base.BaseExporter.",
                    id=f"{ID}.E011",
                )
            )
            continue
        for problem in backend.check_options(spec):
            messages.append(
                checks.Error(
                    f"{where}: {problem}.",
                    hint=f"The options of {backend.__name__}: "
                    f"{', '.join(sorted(backend.option_defaults))}.",
                    id=f"{ID}.E012",
                )
            )
        for option, variable in backend.missing_environment(spec):
            messages.append(
                checks.Warning(
                    f"{where}: {option} names the environment variable {variable!r}, "
                    "which is not set: the exporter will have no credentials.",
                    hint=f"Set {variable} in the environment of the web server and of every "
                    "task worker (never in the settings file).",
                    id=f"{ID}.W010",
                )
            )
    return messages


@checks.register(checks.Tags.templates)
def check_base_template(app_configs=None, **kwargs):
    name = algoregister_settings.BASE_TEMPLATE
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return [
            checks.Error(
                f"WAGTAIL_ALGOREGISTER['BASE_TEMPLATE'] is {name!r}, which no template "
                "loader finds: every public page of the register extends it.",
                hint="Point it at your site's base template (with the blocks title, meta "
                "and content), or remove it to use wagtail_algoregister/base.html.",
                id=f"{ID}.E002",
            )
        ]
    return []


@checks.register()
def check_i18n(app_configs=None, **kwargs):
    """Entries are exported in the default locale: it must be a content language."""
    messages = []
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return messages
    languages = dict(getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES)
    default = settings.LANGUAGE_CODE
    if default not in languages and default.split("-")[0] not in languages:
        messages.append(
            checks.Error(
                f"LANGUAGE_CODE {default!r} is not among WAGTAIL_CONTENT_LANGUAGES "
                f"({', '.join(languages)}): there is no default locale for the entries, "
                "which are exported in it.",
                hint=f"Add ({default!r}, ...) to WAGTAIL_CONTENT_LANGUAGES (and LANGUAGES).",
                id=f"{ID}.E003",
            )
        )
    if "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE:
        messages.append(
            checks.Warning(
                "WAGTAIL_I18N_ENABLED is on but LocaleMiddleware is not in MIDDLEWARE: "
                "public pages and the register's files ignore the language in the URL.",
                hint="Add 'django.middleware.locale.LocaleMiddleware' after SessionMiddleware.",
                id=f"{ID}.W003",
            )
        )
    return messages


def _url_names(patterns):
    """The names of the URL patterns, in the order Django tries them."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_names(pattern.url_patterns)
        else:
            yield getattr(pattern, "name", None)


@checks.register(checks.Tags.urls)
def check_url_order(app_configs=None, **kwargs):
    """``wagtail_algoregister.urls`` must come before Wagtail's pages, which take every path."""
    names = list(_url_names(get_resolver().url_patterns))
    if WAGTAIL_PAGES not in names:
        return []
    snippet = 'path("", include("wagtail_algoregister.urls")),\npath("", include(wagtail_urls)),'
    if FILE_URLS not in names:
        return [
            checks.Warning(
                "wagtail_algoregister.urls is not in the URL configuration: the register's "
                "downloads, catalogue and feed (export.csv, catalog.ttl, feed.atom) answer 404.",
                hint=f"Include it just before Wagtail's pages:\n{snippet}",
                id=f"{ID}.W004",
            )
        ]
    if names.index(FILE_URLS) > names.index(WAGTAIL_PAGES):
        return [
            checks.Error(
                "wagtail_algoregister.urls comes after Wagtail's page URLs, which answer every "
                "path first: the register's downloads, catalogue and feed answer 404.",
                hint=f"Move it before Wagtail's pages:\n{snippet}",
                id=f"{ID}.E004",
            )
        ]
    return []
