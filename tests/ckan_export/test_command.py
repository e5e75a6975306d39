"""``ckan_sync``'s progress line: drawn on a terminal only, through Django's public OutputWrapper."""

import io

from ckan_export.management.commands.ckan_sync import Command


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_redraws_one_line_on_a_terminal_and_ends_it():
    terminal = Terminal()
    show = Command(stderr=terminal, no_color=False)._progress("portal")
    show(1, 2)
    assert terminal.getvalue() == "\rportal [###############               ] 1/2"
    show(2, 2)
    assert terminal.getvalue().endswith("\rportal [##############################] 2/2\n")
    # No colour codes: the error style of stderr is not for a progress bar.
    assert "\x1b" not in terminal.getvalue()


def test_no_progress_when_not_a_terminal():
    assert Command(stderr=io.StringIO())._progress("portal") is None
