"""Import and download in the admin: upload a file, see what it would do, confirm.

- :mod:`.forms`: the upload form and the editor's choices, and the upload handler
  that stops reading a file larger than ``IMPORT_MAX_FILE_SIZE``;
- :mod:`.preview`: an import's result (a preview or the real run) as the pages show it;
- :mod:`.views`: the views and their viewset (menu item, URLs, permission).

The import itself is the command's (:mod:`wagtail_algoregister.importing.jobs` runs it
for a job).
"""
