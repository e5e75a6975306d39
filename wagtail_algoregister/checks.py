"""System checks of the settings (``manage.py check``), so that a mistake shows when the
site starts rather than when an editor publishes.

Ids: ``wagtail_algoregister.E0xx`` (the site does not work as configured) and
``W0xx`` (it works, but probably not as meant: W020-W022 for a site that publishes the
wrong language or hostname). Each message says which setting and why; each hint says
what to write instead. Checks that read the database follow Django's convention and run
only when a database is given: during ``migrate`` and with ``manage.py check --database
default``.
"""

from __future__ import annotations

import pprint

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver
from django.utils.module_loading import import_string
from wagtail.models import Locale, Site

from wagtail_algoregister.conf import DEFAULTS, algoregister_settings
from wagtail_algoregister.models import AlgorithmRegisterPage
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


LOCAL_HOSTNAMES = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "testserver"}  # noqa: S104 - names, not a bind


def _uses_default_database(databases):
    return bool(databases) and "default" in databases


@checks.register(checks.Tags.database)
def check_default_locale(app_configs=None, databases=None, **kwargs):
    """W020: LANGUAGE_CODE names a language that no Wagtail locale has."""
    if not _uses_default_database(databases):
        return []
    try:
        if not Locale.objects.exists():
            return []  # before Wagtail's migrations: nothing to compare yet
        Locale.get_default()
    except Locale.DoesNotExist:
        codes = sorted(Locale.objects.values_list("language_code", flat=True))
        wanted = (settings.LANGUAGE_CODE or "").lower()
        command = (
            f' (or run: python manage.py shell -c "from wagtail.models import Locale; '
            f"Locale.objects.filter(language_code='{codes[0]}').update(language_code='{wanted}')\")"
            if len(codes) == 1
            else ""
        )
        return [
            checks.Warning(
                f"No Wagtail locale for LANGUAGE_CODE {settings.LANGUAGE_CODE!r} (the site has "
                f"{', '.join(codes)}): its pages were created under another language. Register "
                "pages, downloads and the catalogue then name and link the wrong language.",
                hint=(
                    "Rename the existing locale to the language of LANGUAGE_CODE: in the admin, "
                    "Settings → Locales, edit the locale and choose that language (from "
                    f"WAGTAIL_CONTENT_LANGUAGES){command}. Then restart the server."
                ),
                id="wagtail_algoregister.W020",
            )
        ]
    except DatabaseError:
        return []  # tables not there yet (before migrate)
    return []


@checks.register()
def check_language_code(app_configs=None, **kwargs):
    """W021: the site's default language is not Dutch."""
    code = (settings.LANGUAGE_CODE or "").lower()
    if code.split("-")[0] == "nl":
        return []
    return [
        checks.Warning(
            f"LANGUAGE_CODE is {settings.LANGUAGE_CODE!r}, not Dutch. The register's pages "
            "are then in that language, and Wagtail's first locale gets it too: the catalogue "
            "and feed tag Dutch entries as that language.",
            hint=(
                'Set LANGUAGE_CODE = "nl" in your settings, before the first migrate if you can. '
                "On a site whose pages exist already, also rename its locale (see check "
                "wagtail_algoregister.W020 and the README's section on languages). Silence this "
                "check (SILENCED_SYSTEM_CHECKS) only if the register really is not in Dutch."
            ),
            id="wagtail_algoregister.W021",
        )
    ]


@checks.register(checks.Tags.database)
def check_site_hostname(app_configs=None, databases=None, **kwargs):
    """W022: a site with a register still has a local hostname (``localhost``)."""
    if not _uses_default_database(databases):
        return []
    warnings = []
    try:
        for site in Site.objects.select_related("root_page"):
            if site.hostname.lower() not in LOCAL_HOSTNAMES:
                continue
            root = site.root_page
            if not AlgorithmRegisterPage.objects.filter(path__startswith=root.path).exists():
                continue
            warnings.append(
                checks.Warning(
                    f"The Wagtail site {site} has the hostname {site.hostname!r} and holds an "
                    "algorithm register. Permanent identifiers, downloads, the catalogue and "
                    f"the exports to open-data portals then use http://{site.hostname}/… "
                    "addresses that nobody else can open.",
                    hint=(
                        "In the admin, Settings → Sites: set the hostname (and port 80 or 443) "
                        "to the public address of the website, before publishing to a portal."
                    ),
                    obj=site,
                    id="wagtail_algoregister.W022",
                )
            )
    except DatabaseError:
        return []
    return warnings
