"""PDF rendering: aireport's renderer beside WeasyPrint alone on the same HTML, in one run.

Two findings documents, of about 10 and about 100 A4 pages, are made from the Lumen example's real
evaluation result (its rules repeated under new ids to reach the length). For each:

* aireport: ``render_document`` from the saved JSON document to a PDF: validation against the schema, the
  HTML, the resolved Noto Sans CJK SC face, the guarded fetcher, PDF/A-3b with the JSON attached, the
  missing-glyph watch;
* weasyprint: ``weasyprint.HTML(string=html).write_pdf()`` on exactly the HTML aireport made, nothing else
  (fontconfig then finds Noto Sans CJK SC by its family name).

Each contender runs in its own process (its peak RSS is its own), timed after imports; runs are interleaved
and the best of --repeat is kept. Usage:

    python benchmarks/bench_pdf.py [--repeat 3]

Results go to benchmarks/results/pdf.json and pdf.md, with a description of the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import machine, run_child

HERE = Path(__file__).resolve().parent
TARGET = 1.3
SIZES = {"10 pages": 20, "100 pages": 254}  # rules in the document; the pages are counted, not assumed


def make_document(rules: int, work: Path) -> Path:
    """The findings JSON of the Lumen example with its rules cycled to ``rules`` rules."""
    from aireport.disclose.findings import build_findings
    from aireport.example import write_example
    from aireport.pipeline import EngineConfig, check_dataset
    from aireport.render.document_json import document_json

    manifest = work / "lumen" / "manifest.yaml"
    if not manifest.exists():
        write_example(work / "lumen", 20_000, files=1)
    result = check_dataset(manifest, ["eu-ai-act", "cn-genai"], EngineConfig(), "2026-11-24")
    base = result.rules
    repeated = [
        base[n % len(base)].model_copy(update={"rule_id": f"{base[n % len(base)].rule_id}-{n // len(base) + 1}"})
        for n in range(rules)
    ]
    doc = build_findings(result.model_copy(update={"rules": repeated}))
    path = work / f"findings-{rules}.json"
    path.write_bytes(document_json(doc))
    return path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_aireport(document: str, html: str) -> dict[str, Any]:
    from pypdf import PdfReader

    from aireport.render.document_json import read_document
    from aireport.render.formats import RenderRequest, render_all

    start, cpu = time.perf_counter(), _cpu()
    doc = read_document(Path(document))
    pdf = render_all([doc], RenderRequest(formats=("pdf",), languages=("en",)))["findings.en.pdf"]
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    pages = len(PdfReader(_spill(pdf)).pages)
    return {"seconds": seconds, "cpu_seconds": cpu, "pages": pages, "bytes": len(pdf)}


def child_weasyprint(document: str, html: str) -> dict[str, Any]:
    import weasyprint

    text = Path(html).read_text(encoding="utf-8")
    start, cpu = time.perf_counter(), _cpu()
    rendered = weasyprint.HTML(string=text).render()
    pdf = rendered.write_pdf()
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "pages": len(rendered.pages), "bytes": len(pdf)}


def _spill(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as fh:
        fh.write(data)
    return fh.name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from aireport.render.document_json import read_document
    from aireport.render.html import render_html

    report: dict[str, Any] = {"machine": machine("weasyprint"), "target_ratio": TARGET, "documents": {}}
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        for label, rules in SIZES.items():
            document = make_document(rules, work)
            html = work / f"findings-{rules}.html"
            html.write_text(render_html(read_document(document), ("en",)), encoding="utf-8")
            runs: dict[str, list[dict[str, Any]]] = {"aireport": [], "weasyprint": []}
            for _ in range(args.repeat):  # interleaved: both see the same machine load
                for kind, done in runs.items():
                    done.append(run_child("bench_pdf", f"child_{kind}", document, html))
            best = {k: min(v, key=lambda r: float(r["seconds"])) for k, v in runs.items()}
            for r in best.values():
                r["pages_per_second"] = round(r["pages"] / r["seconds"], 2)
            cpu = {k: min(float(r["cpu_seconds"]) for r in v) for k, v in runs.items()}
            entry = {
                "rules": rules,
                "runs": runs,
                "best": best,
                "best_cpu_seconds": cpu,
                "ratio_wall": round(best["aireport"]["seconds"] / best["weasyprint"]["seconds"], 3),
                "ratio_cpu": round(cpu["aireport"] / cpu["weasyprint"], 3),
            }
            report["documents"][label] = entry
            print(f"{label}: {best['aireport']['pages']} pages, wall {entry['ratio_wall']}x, cpu {entry['ratio_cpu']}x")
    report["load_average_after"] = os.getloadavg()
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "pdf.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    (results / "pdf.md").write_text(markdown(report, args.repeat))
    print(markdown(report, args.repeat))


def markdown(report: dict[str, Any], repeat: int) -> str:
    lines = [
        "# PDF rendering: aireport beside WeasyPrint alone on the same HTML",
        "",
        f"Machine: {report['machine']}; load average at the end {[round(x, 2) for x in report['load_average_after']]}.",
        "",
        "aireport renders the saved findings JSON: schema validation, HTML, the Noto Sans CJK SC face bound by "
        "@font-face, the guarded fetcher, PDF/A-3b with the JSON attached, the missing-glyph watch. WeasyPrint "
        "renders the same HTML with `weasyprint.HTML(string=html).write_pdf()`. Each in its own process, timed "
        f"after imports, best of {repeat} interleaved runs. CPU seconds (user + system of the process) are shown "
        "beside wall seconds because they are far less disturbed by other work on a shared machine.",
        "",
        "| document | contender | pages | wall s | pages/s | CPU s | peak RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, entry in report["documents"].items():
        for kind, r in entry["best"].items():
            lines.append(
                f"| {label} | {kind} | {r['pages']} | {r['seconds']:.2f} | {r['pages_per_second']:.1f} "
                f"| {entry['best_cpu_seconds'][kind]:.2f} | {r['peak_rss_mb']:.0f} |"
            )
    lines += ["", "| document | aireport / WeasyPrint, wall | aireport / WeasyPrint, CPU |", "|---|---|---|"]
    for label, entry in report["documents"].items():
        lines.append(f"| {label} | **{entry['ratio_wall']:.2f}x** | **{entry['ratio_cpu']:.2f}x** |")
    worst = max(max(e["ratio_wall"], e["ratio_cpu"]) for e in report["documents"].values())
    verdict = "within" if worst <= TARGET else "NOT within"
    lines += ["", f"Worst ratio: **{worst:.2f}x**, {verdict} the {TARGET}x target.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
