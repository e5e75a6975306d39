"""Downloads of a register and of one entry (to be completed: issue 4)."""

from django.http import Http404


def register_export(request, register, fmt):
    raise Http404


def entry_export(request, entry, fmt):
    raise Http404
