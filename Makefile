# The two commands of the README:  `make run`  and  `make test`.
# Both install what is missing (Debian packages, the virtualenv, the root filesystem) first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test setup system-packages venv rootfs lint check

run: setup
	$(BIN)/judge up

test: setup check
	$(BIN)/pytest -p no:cacheprovider

setup: system-packages venv rootfs

system-packages:
	scripts/install-system-packages

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

rootfs: venv
	$(BIN)/judge rootfs build

check: venv
	$(BIN)/ruff check judge worker sandbox rootfs tests bench
	$(BIN)/mypy judge worker sandbox rootfs
