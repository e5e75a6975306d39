"""The register's files: downloads (CSV, XLSX, JSON), the national JSON format, and the
DCAT catalogue with its RDF writers."""
