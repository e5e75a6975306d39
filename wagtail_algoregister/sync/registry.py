"""The configured exporters: ``WAGTAIL_ALGOREGISTER["EXPORTERS"]``, one per target,
each a ``BACKEND`` (dotted path of a :class:`~wagtail_algoregister.sync.base.BaseExporter`
subclass) and its options, as Wagtail's ``WAGTAILSEARCH_BACKENDS``."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from wagtail_algoregister.conf import algoregister_settings


class InvalidExporter(ImproperlyConfigured):
    """No exporter of that name is configured, or its ``BACKEND`` cannot be loaded."""


def exporter_settings() -> dict:
    return algoregister_settings.EXPORTERS or {}


def exporter_names() -> list[str]:
    """The names of the configured exporters (read each time: ``override_settings`` works,
    and nothing is imported or checked when nothing is configured)."""
    return list(exporter_settings())


def backend_class(name: str):
    spec = exporter_settings().get(name)
    if spec is None:
        raise InvalidExporter(f"No exporter named {name!r} in WAGTAIL_ALGOREGISTER['EXPORTERS']")
    if not isinstance(spec, dict) or not spec.get("BACKEND"):
        raise InvalidExporter(f"WAGTAIL_ALGOREGISTER['EXPORTERS'][{name!r}]: BACKEND is missing")
    try:
        return import_string(spec["BACKEND"])
    except ImportError as e:
        raise InvalidExporter(
            f"WAGTAIL_ALGOREGISTER['EXPORTERS'][{name!r}]: cannot import {spec['BACKEND']!r} ({e})"
        ) from e


def get_exporter(name: str, *, dry_run: bool = False):
    """A new instance of the exporter ``name`` (cheap: a run or a task makes its own,
    so state such as a fetched listing lives for one run)."""
    return backend_class(name)(name, exporter_settings()[name], dry_run=dry_run)


def get_exporters(*, dry_run: bool = False) -> dict:
    """{name: exporter} of every configured exporter."""
    return {name: get_exporter(name, dry_run=dry_run) for name in exporter_names()}
