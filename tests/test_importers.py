"""Importers on real files from public repositories (tests/fixtures/real, each with its source and licence): the
values asserted were read off the files by hand; bad input is a located error, exit 2, nothing written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aireport.cli import main
from aireport.cli.import_ import FORMATS
from aireport.errors import InputError
from aireport.load.importers import by_name, detect, importers
from aireport.load.manifest import load_manifest
from aireport.models.provenance import EuCategory, Modality
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def imported(fmt: str, name: str):  # type: ignore[no-untyped-def]
    path = REAL / fmt / name
    return by_name(fmt).read(path, name)


@pytest.mark.parametrize(
    ("folder", "name", "fmt"),
    [
        ("hf-card", "squad.README.md", "hf-card"),
        ("hf-card", "c4.README.md", "hf-card"),
        ("croissant", "dices-350.json", "croissant"),
        ("croissant", "commoncrawl-CC-MAIN-2025-43-draft.json", "croissant"),
        ("dpi", "Dolly 15k.json", "dpi"),
        ("dpi", "COIG.json", "dpi"),
        ("spdx", "dataset-example01.spdx3.json", "spdx"),
        ("spdx", "ai-example02.spdx3.json", "spdx"),
        ("cyclonedx", "valid-machine-learning-1.6.json", "cyclonedx"),
        ("cyclonedx", "valid-component-data-1.6.json", "cyclonedx"),
    ],
)
def test_each_real_file_is_detected_as_its_format(folder: str, name: str, fmt: str) -> None:
    path = REAL / folder / name
    assert detect(path, name).name == fmt


def test_hf_cards() -> None:
    squad = imported("hf-card", "squad.README.md")
    (source,) = squad.sources
    assert (source.name, source.license, source.languages, source.modality) == ("SQuAD", "cc-by-4.0", ["en"], "text")
    assert source.url == "https://rajpurkar.github.io/SQuAD-explorer/"
    assert source.description is not None
    assert source.description.startswith("Stanford Question Answering Dataset")
    assert source.personal_data is None  # "More Information Needed" is not an answer
    c4 = imported("hf-card", "c4.README.md").sources[0]
    assert (c4.name, c4.license, c4.url) == ("C4", "odc-by", "https://huggingface.co/datasets/allenai/c4")
    notes = dict(imported("hf-card", "c4.README.md").notes)
    assert "text-generation, fill-mask" in notes["sources[0].modality"]  # two task categories: an assumption
    assert notes["provider.legal_name"].startswith("not in the dataset card file")


def test_croissant_with_rai_fields() -> None:
    dices = imported("croissant", "dices-350.json").sources[0]
    assert (dices.name, dices.license, dices.version, dices.rights_holders) == (
        "DICES-350_dataset",
        "cc-by-sa-4.0",
        "1.0.0",
        "Lora Aroyo",
    )
    assert dices.bias_detection is not None
    assert dices.bias_detection.startswith("Dataset includes multiple sub-ratings")
    assert dices.description is not None
    assert "8K multi-turn conversation corpus" in dices.description  # dataCollection
    crawl = imported("croissant", "commoncrawl-CC-MAIN-2025-43-draft.json").sources[0]
    assert crawl.license is None
    assert crawl.license_document == "https://commoncrawl.org/terms-of-use"
    assert (crawl.collection_start, crawl.collection_end) == (dt.date(2025, 10, 5), dt.date(2025, 10, 19))


def test_dpi_summaries() -> None:
    dolly = imported("dpi", "Dolly 15k.json")
    assert [s.source_id for s in dolly.sources][:3] == ["dolly-openqa", "dolly-closedqa", "dolly-classification"]
    assert len(dolly.sources) == 7
    openqa = dolly.sources[0]
    assert (openqa.license, openqa.languages, openqa.declared_items, openqa.rights_holders) == (
        "CC BY-SA 3.0",
        ["en"],
        5933,
        "Databricks",
    )
    coig = imported("dpi", "COIG.json")
    assert {s.source_id: s.generator_model for s in coig.sources}["coig-translated-instruction"] == "DeepL"
    assert all(s.languages == ["zh"] for s in coig.sources)  # "Chinese" found in CLDR
    notes = dict(coig.notes)
    assert "Code: not a language name CLDR knows" in notes["sources[4].languages"]
    assert notes["sources[0].license"].endswith("recorded Various")  # "Various" is no licence


def test_spdx_dataset_packages() -> None:
    owid = imported("spdx", "dataset-example01.spdx3.json")
    (source,) = owid.sources
    assert (source.license, source.personal_data, source.declared_bytes, source.rights_holders) == (
        "CC-BY-4.0",
        False,
        2689,
        "Our World in Data",
    )
    assert source.modality is Modality.OTHER  # structured, timestamp: no modality of the template
    demo = imported("spdx", "ai-example02.spdx3.json")
    assert demo.sources[0].license == "CC0-1.0"
    assert demo.sources[0].declared_bytes == 117553
    assert demo.manifest.models[0].name == "Sentiment Demo: A Simple AI Application and its AI BOM Example"


def test_cyclonedx_data_and_model_cards() -> None:
    ml = imported("cyclonedx", "valid-machine-learning-1.6.json")
    assert [m.name for m in ml.manifest.models] == ["stable-diffusion"]
    (source,) = ml.sources
    assert (source.name, source.url, source.eu_category) == (
        "Training Data",
        "https://example.com/path/to/dataset",
        EuCategory.OTHER,  # CycloneDX does not say how the data was obtained
    )
    data = imported("cyclonedx", "valid-component-data-1.6.json").sources[0]
    assert (data.name, data.version, data.content_types) == ("my-configs", "1337", ["configuration", "other"])


# --- aireport import: the editable manifest -------------------------------------------------------------------


def test_import_writes_a_manifest_that_loads_and_reports_missing_evidence(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("import", "dpi", str(REAL / "dpi" / "COIG.json"), "--out", str(out))
    assert result.exit_code == 0, result.output
    text = (out / "manifest.yaml").read_text()
    assert "# not in the Data Provenance summary file: the provider of the model" in text
    assert 'legal_name: "TO BE PROVIDED"' in text
    assert 'cop_signatory: "to_be_provided"' in text
    assert "line 6 (coig-leetcode), languages: not in the Data Provenance summary file: Code" in text
    reloaded = load_manifest(out / "manifest.yaml")
    assert reloaded.sources == imported("dpi", "COIG.json").sources  # the CSV round-trips every field
    check = run("check", str(out / "manifest.yaml"), "--pack", "eu-ai-act", "--format", "json", "--date", "2026-01-01")
    verdict = json.loads(check.output)["verdict"]["by_outcome"]
    assert verdict["not_evaluable"] > 0  # what the summary lacks is missing evidence, never a pass


def test_import_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    card = str(REAL / "hf-card" / "squad.README.md")
    assert run("import", "hf-card", card, "--out", str(tmp_path)).exit_code == 0
    again = run("import", "hf-card", card, "--out", str(tmp_path))
    assert again.exit_code == 2
    assert "--force" in again.output


# --- bad input --------------------------------------------------------------------------------------------------


def _bad(tmp_path: Path, fmt: str, name: str, content: str, *fragments: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run("import", fmt, str(path), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert not out.exists()  # nothing written


def test_broken_card_front_matter_names_the_line(tmp_path: Path) -> None:
    card = "---\nlicense: cc-by-4.0\nlanguage: [en\ntask_categories: x\n---\n# Card\n"
    _bad(tmp_path, "hf-card", "README.md", card, "README.md:4:", "malformed YAML front matter")


def test_card_with_an_invalid_language_tag(tmp_path: Path) -> None:
    card = "---\nlicense: mit\nlanguage:\n- english\n---\n# Dataset Card for X\n"
    _bad(tmp_path, "hf-card", "README.md", card, "README.md:3: language:", "'english' is not a BCP 47 language tag")


def test_croissant_that_is_not_json_ld(tmp_path: Path) -> None:
    _bad(tmp_path, "croissant", "x.json", '{"name": "x"}', "x.json: @context:", "not Croissant JSON-LD")
    _bad(tmp_path, "croissant", "y.json", "name: x\n", "y.json:1:", "not JSON")


def test_spdx_of_another_version(tmp_path: Path) -> None:
    spdx2 = json.dumps({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": []})
    _bad(tmp_path, "spdx", "sbom.json", spdx2, "spdxVersion: found SPDX-2.3; allowed: SPDX 3.0.1")
    spdx31 = (REAL / "spdx" / "dataset-example01.spdx3.json").read_text().replace('"3.0.1"', '"3.1"')
    _bad(tmp_path, "spdx", "new.json", spdx31, "specVersion: found 3.1; allowed: SPDX 3.0.1")


def test_cyclonedx_of_another_version(tmp_path: Path) -> None:
    bom = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.4", "components": []})
    _bad(tmp_path, "cyclonedx", "bom.json", bom, "specVersion: found '1.4'; allowed: 1.5, 1.6")


def test_every_importer_is_a_choice_of_the_import_command() -> None:
    assert set(FORMATS) == {i.name for i in importers()} - {"aireport"}


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run("import", "mlflow", str(tmp_path / "x"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "hf-card" in result.output


def test_a_bad_tag_in_a_source_inventory_is_located(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "dataset: d\nprovider: {legal_name: P}\nmodels: [{name: M}]\nsources:\n"
        "  - {source_id: s, name: S, eu_category: other, modality: text, languages: [en, klingon]}\n"
    )
    with pytest.raises(InputError) as info:
        load_manifest(manifest)
    assert "'klingon' is not a BCP 47 language tag" in str(info.value)
    assert ":5:" in str(info.value)  # the line of the source


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("hf-card", "squad.README.md"),
        ("hf-card", "c4.README.md"),
        ("croissant", "dices-350.json"),
        ("croissant", "commoncrawl-CC-MAIN-2025-43-draft.json"),
        ("dpi", "Dolly 15k.json"),
        ("spdx", "dataset-example01.spdx3.json"),
        ("spdx", "ai-example02.spdx3.json"),
        ("cyclonedx", "valid-machine-learning-1.6.json"),
        ("cyclonedx", "valid-component-data-1.6.json"),
    ],
)
def test_the_written_manifest_reads_back_as_imported(tmp_path: Path, fmt: str, name: str) -> None:
    assert run("import", fmt, str(REAL / fmt / name), "--out", str(tmp_path)).exit_code == 0
    reloaded = load_manifest(tmp_path / "manifest.yaml")
    original = imported(fmt, name)
    assert reloaded.sources == original.sources
    assert reloaded.manifest.model_copy(update={"sources": []}) == original.manifest.model_copy(update={"sources": []})
