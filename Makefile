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

.PHONY: run test lint i18n translations vendor clean help

help:
	@echo "make run    serve Wegwijs with demo data on http://$(HOST):$(PORT) (HOST=0.0.0.0 for the local network)"
	@echo "make test   lint and run the whole test suite"
	@echo "make i18n   extract strings and update the catalogues"
	@echo "make vendor refresh static/vendor from the pinned npm packages"

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
	$(BIN)/ruff check portal tests wsgi.py

test: $(STAMP) translations lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

i18n: $(STAMP)
	$(BIN)/pybabel extract --project=Wegwijs --copyright-holder="Wegwijs" --msgid-bugs-address="" \
	  -F translations/babel.cfg -k _l -k bi --sort-by-file -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m portal.translations fill-source

vendor: $(STAMP)
	$(BIN)/python -m portal.assets vendor

clean:
	rm -rf $(VENV) translations/*/LC_MESSAGES/*.mo .pytest_cache
