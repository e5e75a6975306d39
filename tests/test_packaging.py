"""The built wheel installs into a clean virtualenv and carries its data files."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent

CHECK = textwrap.dedent(
    """
    import django
    from django.conf import settings
    settings.configure(
        INSTALLED_APPS=[
            "wagtail_algoregister", "ckan_export", "wagtail.contrib.forms", "wagtail.sites", "wagtail.users",
            "wagtail.snippets", "wagtail.documents", "wagtail.images", "wagtail.search", "wagtail.admin",
            "wagtail", "modelcluster", "taggit", "django.contrib.auth", "django.contrib.contenttypes",
            "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
        ],
        STATIC_URL="/static/",
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        WAGTAIL_ALGOREGISTER={"EXPORTERS": {"donl": {
            "BACKEND": "ckan_export.exporter.CkanExporter", "URL": "https://data.example", "ORGANIZATION": "o",
        }}},
    )
    django.setup()
    from importlib import resources
    from django.template.loader import get_template
    from wagtail_algoregister import standard
    from wagtail_algoregister.standard import organisations
    import ckan_export
    assert len(standard.input_fields()) == 29
    assert organisations.get("gm0363").name == "Gemeente Amsterdam"
    get_template("wagtail_algoregister/algorithm_page.html")
    get_template("wagtail_algoregister/blocks/register_listing.html")
    pkg = resources.files("wagtail_algoregister")
    for path in ["locale/nl/LC_MESSAGES/django.mo", "locale/en/LC_MESSAGES/django.mo",
                 "static/wagtail_algoregister/css/register.css", "standard/data/LICENSE-NOTE.md",
                 "standard/data/translations_en.json", "standard/data/vocabularies.json",
                 "glossary/data/terms.json", "quality/data/jargon_nl.tsv",
                 "migrations/0001_initial.py"]:
        assert pkg.joinpath(path).is_file(), path
    from wagtail_algoregister.standard import mappings
    assert mappings.concept(mappings.ACCESS_PUBLIC).labels["nl"] == "openbaar"
    ckan = resources.files("ckan_export")
    for path in ["locale/nl/LC_MESSAGES/django.mo", "data/donl_owms_themes.csv",
                 "data/LICENSE-NOTE.md", "migrations/0002_records_to_syncrecord.py"]:
        assert ckan.joinpath(path).is_file(), path
    from ckan_export.profiles import get_profile
    assert get_profile("donl").name == "donl"
    # The core installs without the exporters' extras; a CKAN exporter without its extra
    # is a system check error that names the extra.
    import importlib.util
    assert importlib.util.find_spec("ckanapi") is None
    from wagtail_algoregister.checks import check_exporters
    [error] = check_exporters()
    assert error.id == "wagtail_algoregister.E011" and "wagtail-algoregister[ckan]" in error.hint, error
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    print("wheel ok")
    """
)


@pytest.mark.slow
def test_wheel_installs_into_a_clean_venv(tmp_path):
    dist = tmp_path / "dist"
    # Built from a copy without build artefacts: setuptools' build/ keeps modules that were
    # deleted since the last build, which would then be in the wheel.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv*",
            "build",
            "dist",
            "*.egg-info",
            ".cache",
            "test-artifacts",
            "node_modules",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
    )
    wheels = list(dist.glob("wagtail_algoregister-*.whl"))
    assert len(wheels) == 1
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheels[0])], check=True)
    # Run outside the checkout so that only the installed files are importable.
    result = subprocess.run(
        [str(python), "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "wheel ok" in result.stdout
