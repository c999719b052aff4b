# Everything a fresh machine needs comes from here: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
PYTEST_ARGS ?= -n 2

.PHONY: install run test test-fast lint format bench translations messages demo clean

# The project installs only its dependencies: the build backend's notes on editable installs
# (silenced with PYTHONWARNINGS) say nothing that matters here.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# Mozilla's ical.js (Thunderbird's parser) for the feed tests.
NODE_STAMP := tests/js/node_modules/.installed
$(NODE_STAMP): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests: Playwright drives it and downloads no browser itself.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Debian's libical (the C library behind Evolution and GNOME Calendar) for the feed tests; the
# suite compiles tests/c/ical_expand.c against it into tests/c/build/.
LIBICAL := /usr/include/libical/ical.h
$(LIBICAL):
	pkg-config --exists libical 2>/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libical-dev pkg-config gcc)

# Compile translations with Babel: no system gettext needed. The statistics are shown for the
# translated languages only: English is the source language (its few entries are plural forms).
translations: install
	$(BIN)/pybabel compile --domain django --directory locale --statistics 2>&1 \
		| grep -v -e '^$$' -e '^compiling catalog' -e 'locale/en/' || true

# Extract new strings into the .po files (needs GNU gettext: `apt-get install gettext`).
messages: install
	DEBUG=1 $(PY) manage.py makemessages --all --no-location --ignore '.venv/*' --ignore 'var/*'

demo: install translations
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable
	DEBUG=1 $(PY) manage.py load_demo

# Web on http://127.0.0.1:8000/ plus a Celery worker and beat, on the embedded defaults.
run: demo
	DEBUG=$${DEBUG:-1} bin/run

test: install translations $(NODE_STAMP) $(CHROMIUM) $(LIBICAL)
	TESTING=1 $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install translations
	TESTING=1 $(BIN)/pytest tests/bench -p no:xdist -s -q -o addopts="-p no:cacheprovider"

clean:
	rm -rf $(VENV) var
