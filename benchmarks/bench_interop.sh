#!/usr/bin/env bash
# Issue 15's costs (benchmarks/results/interop.md): start-up CPU time against another checkout, the exports and
# Word against JSON and PDF on the Lumen example, imports of the real fixture files. Usage, from the repository:
#   BASELINE=/path/to/other/checkout bash benchmarks/bench_interop.sh
set -euo pipefail
PY=${PYTHON:-python}
HERE=$(pwd)
BASELINE=${BASELINE:-$HERE}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
wall() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; echo "$(date +%s.%N) - $s" | bc; }
cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
PYTHONPATH=$HERE/src $PY -m aireport example "$WORK/lumen" --items 20000 >/dev/null
echo "== check, 10 items: CPU seconds, baseline vs this tree"
for _ in 1 2 3 4 5 6; do
  echo "baseline $(PYTHONPATH=$BASELINE/src cpu $PY -m aireport check tests/fixtures/tiny/manifest.yaml --pack eu-ai-act -q)" \
       "this $(PYTHONPATH=$HERE/src cpu $PY -m aireport check tests/fixtures/tiny/manifest.yaml --pack eu-ai-act -q)"
done
export PYTHONPATH=$HERE/src
args=("$WORK/lumen/manifest.yaml" --pack eu-ai-act --pack cn-genai --document findings,eu-annex-xi-data,eu-training-summary --date 2026-01-01 -q)
echo "== report, 20,000 items: json vs json and the five exports (wall seconds)"
for _ in 1 2 3; do
  echo "json $(wall $PY -m aireport report "${args[@]}" --format json --out "$WORK/a")" \
       "exports $(wall $PY -m aireport report "${args[@]}" --format json,sarif,junit,cyclonedx,spdx,croissant --out "$WORK/b")"
done
echo "== render the EU Summary (en): pdf, docx, html (wall seconds)"
for _ in 1 2 3; do
  for f in pdf docx html; do printf "%s %s  " "$f" "$(wall $PY -m aireport render "$WORK/a/eu-training-summary.json" --format $f --out "$WORK/$f")"; done; echo
done
echo "== import the real files (wall seconds)"
for pair in "hf-card c4.README.md" "croissant dices-350.json" "dpi COIG.json" "spdx ai-example02.spdx3.json" "cyclonedx valid-machine-learning-1.6.json"; do
  set -- $pair
  echo "$1 $(wall $PY -m aireport import "$1" "tests/fixtures/real/$1/$2" --out "$WORK/import-$1")"
done
