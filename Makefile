# essor — two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3.12
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# Links in the demo's emails (sent by the task worker, without a request) point to the port actually served.
SITE_URL ?= http://127.0.0.1:$(PORT)
export DJANGO_SETTINGS_MODULE := essor.settings

.PHONY: install demo demo-data serve test typecheck lint format messages clean

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(BIN)/.installed

# Local settings for the `essor` command after the demo (DEBUG on, a generated SECRET_KEY); never deployed.
.env: | $(BIN)/.installed
	$(BIN)/python -m essor.env $@

# Demo: SQLite under var/, reference data, synthetic SIRENE establishments, demonstration hub content.
demo: install demo-data serve

demo-data: install .env
	DEBUG=1 $(BIN)/essor migrate --no-input
	DEBUG=1 $(BIN)/essor territories load
	DEBUG=1 $(BIN)/essor demo_data

# The task worker (emails: console in DEBUG) runs beside the web server; stopping the server stops it.
serve: install .env
	DEBUG=1 ESSOR_SITE_URL=$(SITE_URL) $(BIN)/essor db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 ESSOR_SITE_URL=$(SITE_URL) $(BIN)/essor runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint typecheck
	DEBUG=1 $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# mypy with django-stubs on the domain modules listed in pyproject.toml ([tool.mypy] files).
typecheck: install
	DEBUG=1 $(BIN)/mypy

# Regenerate the translation catalogues after changing interface strings (needs GNU gettext).
# Each app owns its catalogue (essor/APP/locale); `make messages APP=territories` limits it to one app.
APPS ?= core territories sirene observatory accounts resources trainings surveys study steering api diffusion
messages: install
	for app in $(APPS); do \
	  mkdir -p essor/$$app/locale && \
	  (cd essor/$$app && DEBUG=1 ../../$(BIN)/essor makemessages -l fr -l en --no-obsolete --add-location=never \
	    --ignore=tests && DEBUG=1 ../../$(BIN)/essor compilemessages) || exit 1; \
	done

clean:
	rm -rf $(VENV) var/essor.sqlite3* var/static   # .env (local settings) is kept
