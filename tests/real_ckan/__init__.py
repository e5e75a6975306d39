"""A real CKAN for tests: install, start and stop scripts, fake Solr, pytest fixtures."""
