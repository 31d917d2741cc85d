# Qiao developer and CI entry points (GNU make; Debian 12, Python >= 3.11).
#
#   make venv      .venv with Qiao and its test tools; compiled translations
#   make demo      demo database + demo data, worker and server on 127.0.0.1:8000
#   make test      ruff, then the whole suite on SQLite and on PostgreSQL
#   make lint      ruff check
#   make messages  update the .po catalogues (de, en, zh_Hans) from the sources
#   make clean     remove the virtualenv, caches, var/ and test artefacts
#
# Knobs: PYTHON=python3  VENV=.venv  PYTEST_WORKERS=2  PYTEST_ARGS="-x -k foo"
#        QIAO_TEST_DATABASES="sqlite postgres"  HOST=127.0.0.1  PORT=8000

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
VENV_STAMP := $(VENV)/.qiao-installed
PO_FILES := $(shell find src -path '*/LC_MESSAGES/*.po' -not -path '*/.venv/*' 2>/dev/null)
MO_STAMP := $(VENV)/.qiao-messages
LANGS := de en zh_Hans
# Same exclusions as tests/test_translations.py uses.
MSG_IGNORE := --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'static/vendor/*' \
  --ignore 'demo/data/*' --ignore '*/migrations/*'
# Debian packages the test suite uses: browser tests, PDF fonts, PostgreSQL,
# xgettext for the translation-completeness test.
TEST_DEBS := chromium fonts-noto-cjk libharfbuzz-subset0 postgresql-15 gettext
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := QIAO_MODE=demo QIAO_BASE_URL=http://$(HOST):$(PORT)
# Hide pip's notes about this machine's absent local package mirrors.
PIP_FILTER := { grep -v "^WARNING: Location 'file:" || true; }

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export VENV

.PHONY: help venv demo test lint messages compilemessages clean

help:
	@sed -n '1,12p' Makefile | sed 's/^# \{0,1\}//'

venv: $(VENV_STAMP) $(MO_STAMP)

$(VENV_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Qiao needs Python >= 3.11 (PYTHON=$(PYTHON))"; exit 1; }
	@if [ ! -x $(PY) ]; then \
	  $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null \
	    || scripts/system_packages.sh --require python3-venv; \
	  echo "Creating $(VENV)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	@echo "Installing Qiao and its test tools into $(VENV)"
	@$(PY) -m pip install --quiet --upgrade pip 2>&1 | $(PIP_FILTER)
	@$(PY) -m pip install --quiet --progress-bar off -e '.[test,pgvector]' 2>&1 | $(PIP_FILTER)
	@touch $@

# Translations are compiled by a pure-Python script: no GNU gettext needed.
$(MO_STAMP): $(VENV_STAMP) $(PO_FILES) scripts/compile_messages.py
	$(PY) scripts/compile_messages.py src/qiao
	@touch $@

compilemessages: $(VENV_STAMP)
	$(PY) scripts/compile_messages.py --force src/qiao
	@touch $(MO_STAMP)

demo: venv
	@mkdir -p var
	$(DEMO_ENV) $(BIN)/qiao migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/qiao demo
	$(DEMO_ENV) HOST=$(HOST) PORT=$(PORT) scripts/run_demo.sh

# Lint problems fail the target too, but only after the tests ran.
test: venv
	@scripts/system_packages.sh $(TEST_DEBS)
	@echo "=== ruff check ==="
	@lint=0; $(BIN)/ruff check . || lint=1; \
	  scripts/test_all.sh || exit $$?; \
	  if [ $$lint -ne 0 ]; then echo "make test: ruff check found problems (see above)"; exit 1; fi

lint: $(VENV_STAMP)
	$(BIN)/ruff check .

# makemessages needs GNU gettext's xgettext (Debian package gettext).
messages: $(VENV_STAMP)
	@command -v xgettext >/dev/null || scripts/system_packages.sh --require gettext
	cd src/qiao && QIAO_MODE=test $(abspath $(BIN))/qiao makemessages \
	  $(addprefix -l ,$(LANGS)) --no-obsolete --add-location file \
	  $(MSG_IGNORE)
	@if grep -rqs --include='*.js' 'gettext(' src/qiao --exclude-dir=vendor; then \
	  cd src/qiao && QIAO_MODE=test $(abspath $(BIN))/qiao makemessages -d djangojs \
	    $(addprefix -l ,$(LANGS)) --no-obsolete --add-location file \
	    $(MSG_IGNORE); \
	fi
	$(MAKE) --no-print-directory $(MO_STAMP)

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache build dist
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -prune \
	  -exec rm -rf {} +
	find src -name '*.mo' -path '*/LC_MESSAGES/*' -delete
