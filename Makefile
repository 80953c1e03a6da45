# Two commands a user needs: `make report` and `make test`.
# Both create .venv (Python >= 3.11 as `python3`) and install the project on first use — unless the
# conda environment of environment.yml is active, which already holds everything: then it is used.
PYTHON ?= python3
VENV   ?= .venv
ifeq ($(CONDA_DEFAULT_ENV),dx-survey-toolkit)
PY     := python
STAMP  :=
VENV_BIN :=
else
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
VENV_BIN := $(VENV)/bin/
endif
DASHBOARD_DIR ?=
DASHBOARD_DATE ?=
DASHBOARD_SURVEY_YEAR ?=
JOBS ?=
RUN_ARGS ?=

.PHONY: report profiles test bench lab clean-reports install

install: $(STAMP)

$(VENV)/.installed-stamp: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## make report: execute every theme notebook with papermill into reports/
report: $(STAMP)
	$(PY) -m helpers.runner.run $(if $(DASHBOARD_DIR),--dashboard-dir "$(DASHBOARD_DIR)") $(if $(DASHBOARD_DATE),--dashboard-date "$(DASHBOARD_DATE)") $(if $(DASHBOARD_SURVEY_YEAR),--dashboard-survey-year "$(DASHBOARD_SURVEY_YEAR)") $(if $(JOBS),--jobs $(JOBS)) $(RUN_ARGS)

## make profiles: the themes and the 47 prefecture profiles (reports/prefectures/, with a sortable index);
## 76 s cold on 2 cores (make bench, 2026-12-05) against ~25 s for the themes, so not part of `make report`
profiles: $(STAMP)
	$(PY) -m helpers.runner.run --profiles all $(if $(DASHBOARD_DIR),--dashboard-dir "$(DASHBOARD_DIR)") $(if $(DASHBOARD_DATE),--dashboard-date "$(DASHBOARD_DATE)") $(if $(DASHBOARD_SURVEY_YEAR),--dashboard-survey-year "$(DASHBOARD_SURVEY_YEAR)") $(if $(JOBS),--jobs $(JOBS)) $(RUN_ARGS)

## make test: the layer contracts (import-linter), then the whole suite (unit tests + nbval regression of the notebooks)
test: $(STAMP)
	$(VENV_BIN)lint-imports
	$(PY) -m pytest tests notebooks --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

## make bench: the runner's performance figures (see README, Performance)
bench: $(STAMP)
	$(PY) bench/run_bench.py

## make lab: open JupyterLab at the repository root (notebooks, data and reports visible)
lab: $(STAMP)
	$(VENV_BIN)jupyter lab --notebook-dir=.

## make clean-reports: remove the theme folders (as declared in helpers.registry) and the top-level pages
clean-reports: $(STAMP)
	rm -rf $(addprefix reports/,$(shell $(PY) -m helpers.registry)) reports/*.md reports/*.html
