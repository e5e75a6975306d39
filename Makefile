# wagtail-algoregister: `make demo` runs the example site (with DEBUG on), `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := cd example_site && ../$(PY) manage.py
DEMO_ADDRESS ?= 127.0.0.1:8000

.PHONY: install demo demo-data test bench lint format messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[testing]"
	touch $@

# The demo runs background tasks (search index, exports) inline, so it needs no worker.
# Exported for every command of these targets: a "VAR=1 $(MANAGE) ..." prefix would only
# reach the "cd" that $(MANAGE) starts with.
demo demo-data: export ALGOREGISTER_IMMEDIATE_TASKS = 1
# The demo serves its own static files and shows errors: DEBUG on (the site's default is off).
demo: export DJANGO_DEBUG = 1

# The demo's database with its content and a filled search index (tests/test_demo.py runs it).
demo-data: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content --admin

demo: demo-data
	@echo ""
	@echo "  Demo site:  http://$(DEMO_ADDRESS)/"
	@echo "  Admin:      http://$(DEMO_ADDRESS)/admin/   (username: admin, password: admin)"
	@echo ""
	$(MANAGE) runserver $(DEMO_ADDRESS)

test: install
	PY=$(PY) bash scripts/test.sh

# Pages, downloads and catalogue, imports (on PostgreSQL), then the CKAN sync against a
# real local CKAN; a summary with PASS/FAIL at the end (bench/README.md). Not part of `make test`.
bench: install
	PY=$(PY) BENCH_ARGS="$(BENCH_ARGS)" bash bench/run.sh

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: install
	for app in wagtail_algoregister ckan_export national_export example_site; do \
	  (cd $$app && PYTHONPATH=.. ../$(PY) ../example_site/manage.py makemessages -l nl -l en --no-obsolete && \
	   PYTHONPATH=.. ../$(PY) ../example_site/manage.py compilemessages) || exit 1; \
	done

clean:
	rm -rf $(VENV) build dist *.egg-info example_site/db.sqlite3
