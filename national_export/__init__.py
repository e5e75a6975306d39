"""Upload of published register entries to the national Algorithm Register (aanleverapi v1.0)."""
