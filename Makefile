# The README's two commands: `make run` and `make test`. Each bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format check messages clean runtime browser cluster cluster-stop cluster-test

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

run: $(VENV)/.installed runtime
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --with-filings
	@# The task runner (django-tasks, docs/tasks.md) runs beside the dev server and stops when runserver does.
	DEBUG=1 $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The 备案表 PDFs (WeasyPrint) need Pango and the Noto CJK fonts, for `make run` as for the tests.
RUNTIME_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
# Browser tests need Debian's Chromium (Playwright cannot download its own browser here) and axe-core from npm;
# the QR code tests read the code with zbarimg.
DEBIAN_PACKAGES := $(RUNTIME_PACKAGES) chromium zbar-tools
define apt_install
	@dpkg -s $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); \
	  else echo "Needed: sudo apt-get install $(1)" >&2; exit 1; fi; }
endef
runtime:
	$(call apt_install,$(RUNTIME_PACKAGES))
browser:
	$(call apt_install,$(DEBIAN_PACKAGES))

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

test: $(VENV)/.installed browser node_modules/.package-lock.json
	DEBUG=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# Several servers on this machine (docs/deployment.md): PostgreSQL, Redis, SeaweedFS S3, two gunicorns, nginx on
# :8080. State and logs in .cluster/. The cluster tests (tests/cluster, marker `cluster`) run against it.
cluster: $(VENV)/.installed
	deploy/cluster.sh start

cluster-stop:
	deploy/cluster.sh stop

cluster-test: $(VENV)/.installed
	DEBUG=1 $(BIN)/python -m pytest tests/cluster -m cluster -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The English catalogue (docs/i18n.md): extract every msgid, then compile the committed .mo with Babel (no
# gettext tools needed). A fresh clone uses the committed .mo; tests/test_i18n_catalogue.py fails when a msgid is
# untranslated or fuzzy, or when the .mo is older than the .po.
messages: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --ignore '.venv/*' --ignore 'node_modules/*'
	$(BIN)/pybabel compile --statistics -D django -d kechuang/locale -l en

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
