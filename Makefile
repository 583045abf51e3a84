# The README's two commands: `make run` and `make test`. Each bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format check messages clean browser cluster cluster-stop cluster-test

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --with-filings
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests need Debian's Chromium (Playwright cannot download its own browser here) and axe-core from npm.
browser:
	@command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium fonts-noto-cjk" >&2; exit 1; fi; }

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

messages: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
