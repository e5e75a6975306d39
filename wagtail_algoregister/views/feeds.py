"""An Atom feed of new and changed entries (to be completed: issue 4)."""

from django.http import Http404


def register_feed(request, register):
    raise Http404
