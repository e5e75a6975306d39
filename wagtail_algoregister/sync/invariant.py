"""The one rule every exporter keeps, as a check: once the task queue has drained, each
target holds exactly one active entry of ours per entry that is public on the site
(live, no view restriction on itself or any page above it, in a live register the
exporter covers, in the default locale), with the live version's title and short
description, and nothing else of ours.

:func:`problems` asks the target itself (:meth:`BaseExporter.remote_entries
<wagtail_algoregister.sync.base.BaseExporter.remote_entries>`), so it costs requests:
for tests, benchmarks and an operator's spot check, not for every page view.
"""

from __future__ import annotations

from collections import defaultdict

from wagtail_algoregister.standard.validation import strip_html


def problems(exporter) -> list[str]:
    """What breaks the rule at ``exporter`` (one sentence each); [] when it holds."""
    wanted = {str(key): page for key, (page, _register) in exporter.wanted_pages().items()}
    remote = defaultdict(list)
    for entry in exporter.remote_entries():
        remote[entry.key].append(entry)
    found = []
    for key, page in sorted(wanted.items()):
        entries = remote.get(key, [])
        if not entries:
            found.append(f"{exporter.name}: “{page.title}” ({key}) is public but not there")
            continue
        if len(entries) > 1:
            ids = ", ".join(e.remote_id for e in entries)
            found.append(
                f"{exporter.name}: “{page.title}” ({key}) is there {len(entries)} times: {ids}"
            )
        for entry in entries:
            if entry.title.strip() != page.title.strip():
                found.append(
                    f"{exporter.name}: {entry.remote_id} has the title “{entry.title}”, "
                    f"not the live “{page.title}”"
                )
            text = strip_html(page.description_short or "").strip()
            if text and text not in strip_html(entry.text or ""):
                found.append(
                    f"{exporter.name}: {entry.remote_id} lacks the live short description of "
                    f"“{page.title}”"
                )
    for key, entries in sorted(remote.items()):
        if key not in wanted:
            for entry in entries:
                found.append(
                    f"{exporter.name}: {entry.remote_id} (“{entry.title}”, entry {key or '?'}) "
                    "is there but matches no public entry"
                )
    return found
