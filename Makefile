# The two commands of the README. Both do all the set-up on a fresh Debian/Ubuntu machine.
#   make demo   - the bundled example, evaluated against both packs
#   make test   - lint, types, layer contracts and the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out/demo
ITEMS  ?= 1000000
DATE   ?= 2026-11-24

.PHONY: demo test setup system lint clean bench docs

setup: system $(STAMP)

system:
	@scripts/setup-system.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[dev,spark]'
	@touch $(STAMP)

demo: setup
	@$(BIN)/aireport example $(OUT)/lumen --items $(ITEMS) > /dev/null
	@$(BIN)/aireport check $(OUT)/lumen/manifest.yaml --pack eu-ai-act --pack cn-genai \
		--date $(DATE) --out $(OUT)/findings.json --fail-on blocker || test $$? -eq 1
	@echo "JSON result: $(OUT)/findings.json"
	@$(BIN)/aireport report $(OUT)/lumen/manifest.yaml --pack eu-ai-act --pack cn-genai \
		--date $(DATE) --document findings,eu-training-summary,eu-annex-xi-data,eu-annex-xii-data \
		--edition clean,annotated --format pdf,json,html --lang en,zh --out $(OUT)/documents --quiet > /dev/null
	@$(BIN)/aireport cn-assess $(OUT)/lumen/manifest.yaml --assessment-date 2025-10-31 \
		--statements examples/lumen/cn-statements.yaml --edition clean,annotated --format json,html,pdf \
		--lang zh,en --out $(OUT)/documents > /dev/null || test $$? -eq 1
	@echo "Documents (PDF/A-3, the JSON inside, HTML, JSON; English and Chinese; clean and *.annotated.*): $(OUT)/documents/"
	@echo "The demo's documents are drafts: the example plants statements its items contradict (PLANTED.md)."
	@$(BIN)/aireport example $(OUT)/lumen-clean --items $(ITEMS) --clean > /dev/null
	@$(BIN)/aireport report $(OUT)/lumen-clean/manifest.yaml --pack eu-ai-act --date $(DATE) \
		--document eu-training-summary --format pdf,json --lang en --out $(OUT)/clean --quiet > /dev/null
	@echo "The clean example's Summary (final): $(OUT)/clean/"
	@mkdir -p $(OUT)/keys && (test -f $(OUT)/keys/supplier.key.pem || $(BIN)/aireport keygen $(OUT)/keys/supplier.key.pem > /dev/null)
	@$(BIN)/aireport certify $(OUT)/lumen/manifest.yaml --delivery LUMEN-2026-001 --buyer "Canvas Partner AI Ltd." \
		--key $(OUT)/keys/supplier.key.pem --date $(DATE) --amount 1000000 --currency CNY --basis weight \
		--lang en,zh --creator-statement meridian:photographer-07 --out $(OUT)/delivery --quiet > /dev/null
	@$(BIN)/aireport takedown $(OUT)/delivery/certificate.dsse.json img-000000001 --reason takedown_request \
		--key $(OUT)/keys/supplier.key.pem --date 2026-12-01 --out $(OUT)/delivery/addendum-1.dsse.json > /dev/null
	@$(BIN)/aireport verify $(OUT)/delivery/certificate.dsse.json --items $(OUT)/lumen/manifest.yaml \
		--public-key $(OUT)/keys/supplier.pub.pem --addendum $(OUT)/delivery/addendum-1.dsse.json --quiet
	@echo "Delivery (certificate, listing, ledgers, addendum; verified as the buyer would): $(OUT)/delivery/"

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q

docs: setup
	$(BIN)/aireport docs --out docs

bench: setup
	$(BIN)/python benchmarks/bench_check.py

clean:
	rm -rf out dist build .pytest_cache .mypy_cache .ruff_cache
