"""System checks: configurations that work but publish the wrong thing.

Registered from the app's ``ready()``. Ids ``wagtail_algoregister.W0xx``; each message
says what goes wrong for residents or portals, each hint what to change. Checks that
read the database follow Django's convention and run only when a database is given:
during ``migrate`` and with ``manage.py check --database default``.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


LOCAL_HOSTNAMES = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "testserver"}  # noqa: S104 - names, not a bind


def _uses_default_database(databases):
    return bool(databases) and "default" in databases


@register(Tags.database)
def check_default_locale(app_configs=None, databases=None, **kwargs):
    """W001: LANGUAGE_CODE names a language that no Wagtail locale has."""
    if not _uses_default_database(databases):
        return []
    from wagtail.models import Locale

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
            Warning(
                f"No Wagtail locale for LANGUAGE_CODE {settings.LANGUAGE_CODE!r} (the site has "
                f"{', '.join(codes)}): its pages were created under another language. Register "
                "pages, downloads and the catalogue then name and link the wrong language.",
                hint=(
                    "Rename the existing locale to the language of LANGUAGE_CODE: in the admin, "
                    "Settings → Locales, edit the locale and choose that language (from "
                    f"WAGTAIL_CONTENT_LANGUAGES){command}. Then restart the server."
                ),
                id="wagtail_algoregister.W001",
            )
        ]
    except DatabaseError:
        return []  # tables not there yet (before migrate)
    return []


@register()
def check_language_code(app_configs=None, **kwargs):
    """W002: the site's default language is not Dutch."""
    code = (settings.LANGUAGE_CODE or "").lower()
    if code.split("-")[0] == "nl":
        return []
    return [
        Warning(
            f"LANGUAGE_CODE is {settings.LANGUAGE_CODE!r}, not Dutch. The register's pages "
            "are then in that language, and Wagtail's first locale gets it too: the catalogue "
            "and feed tag Dutch entries as that language.",
            hint=(
                'Set LANGUAGE_CODE = "nl" in your settings, before the first migrate if you can. '
                "On a site whose pages exist already, also rename its locale (see check "
                "wagtail_algoregister.W001 and the README's section on languages). Silence this "
                "check (SILENCED_SYSTEM_CHECKS) only if the register really is not in Dutch."
            ),
            id="wagtail_algoregister.W002",
        )
    ]


@register(Tags.database)
def check_site_hostname(app_configs=None, databases=None, **kwargs):
    """W003: a site with a register still has a local hostname (``localhost``)."""
    if not _uses_default_database(databases):
        return []
    from wagtail.models import Site

    from wagtail_algoregister.models import AlgorithmRegisterPage

    warnings = []
    try:
        for site in Site.objects.select_related("root_page"):
            if site.hostname.lower() not in LOCAL_HOSTNAMES:
                continue
            root = site.root_page
            if not AlgorithmRegisterPage.objects.filter(path__startswith=root.path).exists():
                continue
            warnings.append(
                Warning(
                    f"The Wagtail site {site} has the hostname {site.hostname!r} and holds an "
                    "algorithm register. Permanent identifiers, downloads, the catalogue and "
                    f"the exports to open-data portals then use http://{site.hostname}/… "
                    "addresses that nobody else can open.",
                    hint=(
                        "In the admin, Settings → Sites: set the hostname (and port 80 or 443) "
                        "to the public address of the website, before publishing to a portal."
                    ),
                    obj=site,
                    id="wagtail_algoregister.W003",
                )
            )
    except DatabaseError:
        return []
    return warnings
