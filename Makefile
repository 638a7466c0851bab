# Two commands do everything on a fresh machine: `make run` and `make test`.
# Both create and reuse the virtual environment in .venv by themselves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
FLASK := WEGWIJS_ENV=$${WEGWIJS_ENV:-development} $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_WORKERS ?= auto
MO := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

.PHONY: run test lint i18n translations vendor clean help stress scan

help:
	@echo "make run    serve Wegwijs with demo data on http://$(HOST):$(PORT) (HOST=0.0.0.0 for the local network)"
	@echo "make test   lint and run the whole test suite"
	@echo "make i18n   extract strings and update the catalogues"
	@echo "make vendor refresh static/vendor from the pinned npm packages"
	@echo "make stress 50 writers against gunicorn on 127.0.0.1, a worker killed (and PostgreSQL connections ended)"
	@echo "make scan   wapiti against the demo on 127.0.0.1 (needs wapiti3; not part of make test)"

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy=false -i $< -o $@ 2>/dev/null || $(BIN)/pybabel compile -i $< -o $@

translations: $(MO)

run: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check portal tests wsgi.py bench
	$(BIN)/bandit -q -c pyproject.toml -r portal --severity-level medium

test: $(STAMP) translations lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

i18n: $(STAMP)
	$(BIN)/pybabel extract --project=Wegwijs --copyright-holder="Wegwijs" --msgid-bugs-address="" \
	  -F translations/babel.cfg -k _l -k bi --sort-by-file -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m portal.translations fill-source

vendor: $(STAMP)
	$(BIN)/python -m portal.assets vendor

# Not part of `make test`: bounded (60 s a database), 127.0.0.1 only. PostgreSQL too when BENCH_DATABASE_URL or
# TEST_DATABASE_URL is PostgreSQL (it works in a fresh database <name>_stress and ends only that one's connections).
stress: $(STAMP) translations
	timeout 600 $(BIN)/python bench/stress.py

# wapiti lives in its own environment (WAPITI, default .venv/scan/bin/wapiti) so its many pins never touch the app's:
# wapiti3 3.2.3, the newest that runs on Python 3.11 (3.3.x needs 3.12). The demo runs on a throw-away SQLite
# database; the scan is bounded (SCAN_MINUTES) and its report lands in instance/scan/.
WAPITI ?= .venv/scan/bin/wapiti
SCAN_MINUTES ?= 10
SCAN_PORT ?= 5055
scan: $(STAMP) translations
	test -x $(WAPITI) || ($(PYTHON) -m venv .venv/scan && .venv/scan/bin/pip install --quiet wapiti3==3.2.3)
	bash bench/scan.sh $(WAPITI) $(SCAN_PORT) $(SCAN_MINUTES)

clean:
	rm -rf $(VENV) translations/*/LC_MESSAGES/*.mo .pytest_cache
