"""Export of published register entries to CKAN open-data portals."""
