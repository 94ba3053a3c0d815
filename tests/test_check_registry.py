"""One check registry: every finding, YAML rule or built-in Python check, under one unique id with its data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from aireport.cli import main
from aireport.disclose.checks import POST_CHECK_PACKS, CheckSet, Found, registry
from aireport.errors import InputError
from aireport.load.rulepack import builtin_packs, load_pack, load_packs
from aireport.models.results import Outcome, Provenance

RULE = """id: {id}
title: {{en: "A title", zh: "标题"}}
citation: {{instrument: "An instrument", provision: "Art. 1", verification: unverified}}
severity: warning
scope: dataset
{body}
message: {{en: "A message", zh: "消息"}}
fix: {{en: "A fix", zh: "修正"}}
"""
PACK = """id: test-pack
version: 0.1.0
jurisdiction: EU
title: {en: "Test", zh: "测试"}
effective_from: 2025-08-02
"""


def write_pack(folder: Path, rules: list[tuple[str, str]]) -> Path:
    """A pack of (id, body) rules, each in the file its id names (a second file of an id gets a suffix)."""
    folder.mkdir()
    (folder / "pack.yaml").write_text(PACK)
    for rule_id, body in rules:
        path = folder / f"{rule_id}.yaml"
        while path.exists():
            path = path.with_name(path.stem + "-again.yaml")
        path.write_text(RULE.format(id=rule_id, body=body))
    return folder


def test_no_id_is_used_twice_across_the_builtin_packs() -> None:
    ids = Counter(rule.id for pack in load_packs(builtin_packs()) for rule in pack.rules)
    assert [rule_id for rule_id, n in ids.items() if n > 1] == []


def test_every_python_rule_has_its_check_and_every_check_is_declared() -> None:
    packs = load_packs(builtin_packs())
    declared = {r.id for p in packs for r in p.rules if r.implementation == "python"}
    # The resolutions pack's two findings are decided after every other one (aireport.disclose.resolutions).
    post = {r.id for p in packs if p.manifest.id in POST_CHECK_PACKS for r in p.rules}
    assert post == {"RES-EXPIRED", "RES-UNUSED"}
    assert declared - post == set(registry())
    # Both jurisdictions contribute; the four ids that were once both a rule and a check are now one each.
    assert {"EU-TS-07", "EU-TD-01", "CN-TC-9.2-A-MANUAL", "CN-XB-EXPORT"} <= declared
    conditions = {r.id for p in load_packs(builtin_packs()) for r in p.rules if r.implementation == "condition"}
    assert {"EU-TS-09", "EU-TS-11"} <= conditions
    assert {"EU-TS-09-MODALITY", "EU-TS-11-OVERALL"} <= declared


def test_a_pack_that_names_an_id_twice_is_refused(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p",
        [("X-1", "condition: {is_true: attestations.tdm_optout_respected}"), ("X-1", "implementation: python")],
    )
    with pytest.raises(InputError, match="duplicate rule id 'X-1'"):
        load_pack(str(folder))


def test_a_check_registered_twice_is_refused() -> None:
    checks: CheckSet[object] = CheckSet(lambda run: run)

    @checks.register("X-1")
    def first(ctx: object) -> Found:
        return Found(Outcome.PASS, "ok", "好", Provenance.DECLARED)

    with pytest.raises(ValueError, match="registered twice"):
        checks.register("X-1")(first)


def test_a_pack_asking_for_a_check_aireport_does_not_have_exits_2(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", [("X-UNKNOWN", "implementation: python")])
    manifest = Path(__file__).parent / "fixtures" / "tiny" / "manifest.yaml"
    done = CliRunner().invoke(main, ["check", str(manifest), "--pack", str(folder), "--quiet"])
    assert done.exit_code == 2, done.output
    assert "no built-in check X-UNKNOWN" in done.output
    assert "Traceback" not in done.output


def test_a_python_rule_takes_no_condition(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p",
        [("X-2", "implementation: python\ncondition: {is_true: attestations.tdm_optout_respected}")],
    )
    with pytest.raises(InputError, match="takes no condition"):
        load_pack(str(folder))


def test_rules_lists_yaml_rules_and_builtin_checks() -> None:
    done = CliRunner().invoke(main, ["rules"], env={"COLUMNS": "250"})
    assert done.exit_code == 0
    rows = {line.split("│")[1].strip(): line for line in done.output.splitlines() if line.count("│") > 3}
    assert "check" in rows["EU-TS-07"]
    assert "rule" in rows["EU-CR-02"]
    assert "check" in rows["CN-TC-9.2-A-MANUAL"]
