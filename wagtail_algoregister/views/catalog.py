"""The register as a DCAT catalogue (to be completed: issue 4)."""

from django.http import Http404


def catalog_view(request, register, fmt):
    raise Http404
