# The README names these targets. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: install messages run worker test test-postgres lint format demo scale clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
# The venv starts with the pip and setuptools Python shipped, often old and with known
# flaws: bring them to the versions pinned in requirements-dev.txt first.
	$(PY) -m pip install -q --disable-pip-version-check --upgrade \
		$$(grep -E '^(pip|setuptools)==' requirements-dev.txt)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# English is a compiled catalogue; Chinese, the default, needs none.
messages: install
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=var --ignore=node_modules; \
	else echo "msgfmt (GNU gettext) not found: the English interface is not compiled"; fi

run: messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	@echo ""
	@echo "  打开 http://$(ADDR)/ 用上面的演示账号登录（密码 demo1234）。Ctrl-C 停止网站和后台任务。"
	@echo ""
	@bash -c '$(VENV)/bin/celery -A config worker --beat -Q celery,reports -l info --concurrency 2 \
		--schedule var/celerybeat-schedule & worker=$$!; \
		trap "kill $$worker 2>/dev/null; wait $$worker 2>/dev/null" EXIT; \
		$(PY) manage.py runserver $(ADDR)'

test: messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo

scale: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_scale

clean:
	rm -rf var staticfiles test-artifacts
