# Luukku: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PKI    ?= certs/dev
LISTEN ?= 127.0.0.1:50051
PROTOS := $(wildcard proto/luukku/v1/*.proto)
# The generated luukku.v1 code ships with the SDK.
GENERATED := sdk/src

METRICS ?= 127.0.0.1:9464
PORTAL  ?= 127.0.0.1:8080
# The clerks' workspaces of the demo desk's two members (helsinki-social, vantaa-health).
WORKSPACE        ?= 127.0.0.1:8090
WORKSPACE_VANTAA ?= 127.0.0.1:8091
# Test processes (pytest-xdist): two per core this may run on, at most 8. The suite
# keeps the cores busy (browsers, brokers, PostgreSQL): on 2 cores, 4 processes ran it in
# 17 min 49 s to 21 min 46 s (three runs) where 6 took 23 min 46 s (one run), the extra
# ones only taking turns. The long tests (marked slow) are collected first and handed
# out two at a time to whichever process is free, so that none of them is left to run
# last, alone.
TEST_WORKERS ?= $(shell python3 -c 'import os; print(min(8, 2 * len(os.sched_getaffinity(0))))')
NODE_INTEROP := tests/interop/node/node_modules/.installed

.PHONY: run test lint proto proto-check bench clean interop messages

# The hub and the SDK (sdk/: the luukku-client distribution), both editable.
$(STAMP): pyproject.toml sdk/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ./sdk -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## run: venv, dev PKI, demo organisations and data, then the broker, the portal and the
## workspaces of the demo desk's two members (Ctrl-C stops them all)
run: $(STAMP)
	$(BIN)/luukku demo run --pki $(PKI) --listen $(LISTEN) --metrics $(METRICS) --portal-listen $(PORTAL) \
	  --workspace-listen $(WORKSPACE) --vantaa-workspace-listen $(WORKSPACE_VANTAA)

## test: the whole suite (storage tests also on PostgreSQL when LUUKKU_TEST_POSTGRES_URL is set;
## the Node.js interop test when npm is installed)
test: $(STAMP) interop
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load --maxschedchunk 2

## interop: the Node.js client's packages, when npm is there (else its test skips and says why)
interop:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_INTEROP); \
	else echo "npm not found: the Node.js interop test will skip"; fi

$(NODE_INTEROP): tests/interop/node/package-lock.json
	cd tests/interop/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## lint: ruff and mypy --strict on the hand-written code
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## proto: regenerate sdk/src/luukku/v1 from proto/ (never edit the generated files)
proto: $(STAMP)
	$(BIN)/python -m grpc_tools.protoc -Iproto \
	  --python_out=$(GENERATED) --pyi_out=$(GENERATED) --grpc_python_out=$(GENERATED) \
	  --plugin=protoc-gen-mypy_grpc=$(BIN)/protoc-gen-mypy_grpc --mypy_grpc_out=$(GENERATED) \
	  $(PROTOS)

## proto-check: fail when the committed generated code is stale
proto-check: proto
	git diff --exit-code -- $(GENERATED)/luukku/v1 || (echo "generated code is stale: run make proto and commit" && exit 1)
	test -z "$$(git status --porcelain -- $(GENERATED)/luukku/v1)" || (git status --porcelain -- $(GENERATED)/luukku/v1; echo "untracked generated files: run make proto and commit" && exit 1)

## bench: broker vs bare gRPC echo server; with DATABASE_URL=postgresql://… also read and
## append on one broker on that PostgreSQL, and two brokers sharing it (python -m
## bench.replicas); then the audit log's tree, proofs and checkpoints
## (python -m bench.audit_log); the citizen token's check per call, CPU µs p50/p99 with
## the provider's keys cached (python -m bench.citizen_token); then a shared service desk:
## 50 clerks racing to claim 1,000 inquiries and 100 clerks watching its queue (python -m
## bench.desks); then the clerks' workspace: 50 signed-in clerks with the queue page open
## while 1,000 inquiries an hour flow through two desks (python -m bench.workspace); then
## a read acting for one's child against a read for oneself, and importing 100,000
## guardianships (python -m bench.representation); with DATABASE_URL, a month of the
## audit log archived: bytes an event takes, verify and archive speed, listings before
## and after (python -m bench.audit_archive); and the audit log grown to 1, 3 and 10
## million events (a realistic mix, bulk-loaded): a citizen's access-log pages, a summary,
## proofs, `luukku audit verify` and bytes per event at each size (python -m
## bench.audit_scale; hours: the 10 million step alone seeds 7 million); a revoked watch
## stream whose reader stopped reading, until the broker lets it go (python -m
## bench.revoked_watch); last, issue 22's figures in one table, before and after (python
## -m bench.production, from the JSON files of this run under var/).
## The bench (bench/, outside the package) drives the broker through the luukku command,
## the SDK and the store's bulk loader.
bench: $(STAMP)
	$(BIN)/python -m bench $(if $(DATABASE_URL),--database '$(DATABASE_URL)')
	$(BIN)/python -m bench.audit_log
	$(BIN)/python -m bench.citizen_token
	$(if $(DATABASE_URL),$(BIN)/python -m bench.replicas --database '$(DATABASE_URL)')
	$(BIN)/python -m bench.desks $(if $(DATABASE_URL),--database '$(DATABASE_URL)')
	$(BIN)/python -m bench.workspace $(if $(DATABASE_URL),--database '$(DATABASE_URL)')
	$(BIN)/python -m bench.representation $(if $(DATABASE_URL),--database '$(DATABASE_URL)')
	$(if $(DATABASE_URL),$(BIN)/python -m bench.audit_archive --database '$(DATABASE_URL)')
	$(if $(DATABASE_URL),$(BIN)/python -m bench.audit_scale --database '$(DATABASE_URL)')
	$(BIN)/python -m bench.revoked_watch $(if $(DATABASE_URL),--database '$(DATABASE_URL)')
	$(BIN)/python -m bench.production

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

## messages: the web apps' strings (src/luukku/web, portal, workspace) into one
## web/locale/messages.pot, merged into the fi and sv catalogues; then translate what is
## new (tests/unit/test_portal_catalogs.py checks it)
messages: $(STAMP)
	cd src/luukku && $(abspath $(BIN))/pybabel extract -F web/babel.cfg \
	  -k N_ -k gettext_ -k ngettext_:1,2 --no-location --sort-output --omit-header \
	  -o web/locale/messages.pot .
	for lang in fi sv; do \
	  $(BIN)/pybabel update -i src/luukku/web/locale/messages.pot -d src/luukku/web/locale \
	    -l $$lang --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --init-missing \
	  || exit 1; done
