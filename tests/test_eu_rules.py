"""Every eu-ai-act rule passes on a dataset built to satisfy them all, and fails when one thing is broken.

The good dataset (tests/test_eu_support.py) is hand-made; each case below breaks exactly the fact its rule
checks, and the expected outcome follows from the rule's text, not from running it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aireport.load.rulepack import load_packs
from aireport.models.results import Outcome
from tests.test_eu_support import (
    _source,
    evaluate,
    good_items,
    good_manifest,
    source_in,
    variant,
    write_dataset,
)

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    """Set manifest[a][b] (a path like 'provider.contact'; 'source:ID.field' for a source)."""

    def change(m: dict[str, Any]) -> None:
        head, _, field = path.rpartition(".")
        if head.startswith("source:"):
            target = source_in(m, head.removeprefix("source:"))
        elif head == "model":
            target = m["models"][0]
        else:
            target = m[head]
        if value is None:
            target.pop(field, None)
        else:
            target[field] = value

    return change


def _both(*changes: Change) -> Change:
    def change(m: dict[str, Any]) -> None:
        for c in changes:
            c(m)

    return change


def _add(source: dict[str, Any], gate: str) -> Change:
    def change(m: dict[str, Any]) -> None:
        m["sources"].append(source)
        m["attestations"][gate] = "yes"

    return change


PRIVATE = _source("priv", "third_party_private", "text", optout_evidence="Supplier attests opt-outs")
OTHER = _source("oth", "other", "text")

SOURCE_CASES: dict[str, Change] = {
    "EU-CR-01": _set("attestations.copyright_policy_owner", None),
    "EU-CR-04": _set("source:pub.optout_evidence", None),
    "EU-CR-05": _set("attestations.no_tpm_circumvention", "no"),
    "EU-CR-05-CRAWLER": _set("source:crawl.crawler_uses_logins", True),
    "EU-CR-06": _set("attestations.piracy_denylist", None),
    "EU-CR-07": _set("source:crawl.crawler_user_agent", None),
    "EU-CR-08": _set("attestations.aup_prohibits_infringement", "to_be_provided"),
    "EU-CR-09": _set("attestations.complaint_channel", None),
    "EU-SCOPE-02": _set("model.training_flop", 2e25),
    "EU-TD-01": _set("source:lic.bias_detection", None),
    "EU-TD-02": _set("source:lic.curation_methods", []),
    "EU-TD-03": _set("model.training_flop", None),
    "EU-TS-01": _set("provider.contact", None),
    "EU-TS-02": _set("provider.established_in_eu", False),
    "EU-TS-03": _set("model.version", None),
    "EU-TS-04": _set("model.base_models", ["Base 1"]),
    "EU-TS-08": _set("source:usr.modality", "audio"),
    "EU-TS-09": _set("source:syn.content_types", []),
    "EU-TS-10-CT": _set("attestations.continuous_training", "to_be_provided"),
    "EU-TS-11": _set("source:crawl.languages", []),
    "EU-TS-12-PUBLIC": _set("attestations.used_public_datasets", "no"),
    "EU-TS-12-LICENSED": _set("attestations.used_licensed_data", "to_be_provided"),
    "EU-TS-12-PRIVATE": _set("attestations.used_third_party_private_data", "yes"),
    "EU-TS-12-CRAWLED": _set("attestations.used_crawlers", "no"),
    "EU-TS-12-USER-MODEL": _set("attestations.used_user_model_data", "yes"),
    "EU-TS-12-USER-SERVICES": _set("attestations.used_user_service_data", "no"),
    "EU-TS-12-SYNTHETIC": _set("attestations.used_synthetic_data", "no"),
    "EU-TS-12-OTHER": _set("attestations.used_other_sources", "yes"),
    "EU-TS-13": _set("source:pub.version", None),
    "EU-TS-15": _set("source:lic.agreement", None),
    "EU-TS-16": _add({**PRIVATE, "publicly_known": True}, "used_third_party_private_data"),
    "EU-TS-16-DESC": _add({**PRIVATE, "publicly_known": False, "description": None}, "used_third_party_private_data"),
    "EU-TS-17": _set("source:crawl.crawler_purpose", None),
    "EU-TS-17-DESC": _set("source:crawl.description", None),
    "EU-TS-20": _set("source:usr.service_description", None),
    "EU-TS-21": _set("source:syn.generator_model", None),
    "EU-TS-21-LINK": _set("source:syn.generator_summary_url", None),
    "EU-TS-21-OTHER": _set("source:syn.generator_on_eu_market", False),
    "EU-TS-23": _add({**OTHER, "description": None}, "used_other_sources"),
    "EU-TS-24": _set("attestations.tdm_optout_measures", None),
    "EU-TS-24-COP": _set("attestations.cop_signatory", "to_be_provided"),
    "EU-TS-24-ROBOTS": _set("attestations.tdm_optout_measures", "We honour TDMRep reservations."),
    "EU-TS-25": _set("attestations.illegal_content_measures", None),
    "EU-TS-27": _set("summary.version", None),
}


def _item_change(source_id: str, **values: Any) -> list[dict[str, Any]]:
    rows = good_items()
    first = next(r for r in rows if r["source_id"] == source_id)
    first.update(values)
    return rows


ITEM_CASES: dict[str, list[dict[str, Any]]] = {
    "EU-CR-02": _item_change("crawl", robots_allowed=False),
    "EU-CR-03": _item_change("crawl", tdm_reserved=True),
    "EU-CR-LIC": _item_change("pub", license="CC-BY-NC-4.0"),
}


def test_every_rule_has_a_case() -> None:
    (pack,) = load_packs(["eu-ai-act"])
    conditions = {r.id for r in pack.rules if r.implementation == "condition"}
    # The two Annex checks were both a rule and a check once; the other built-in checks: test_eu_summary.py.
    assert conditions | {"EU-TD-01", "EU-TD-02"} == set(SOURCE_CASES) | set(ITEM_CASES)


def test_the_good_dataset_passes_every_rule(tmp_path: Path) -> None:
    result = evaluate(write_dataset(tmp_path, good_manifest(), good_items()))
    outcomes = {r.rule_id: r.outcome for r in result.rules}
    not_passing = {rid: o for rid, o in outcomes.items() if o not in (Outcome.PASS, Outcome.NOT_APPLICABLE)}
    assert not_passing == {}
    # The rules about sources that the good dataset does not have do not apply.
    assert {rid for rid, o in outcomes.items() if o is Outcome.NOT_APPLICABLE} == {
        "EU-TS-02",  # established in the EU: no authorised representative needed
        "EU-TS-04",
        "EU-TS-08",
        "EU-TS-16",
        "EU-TS-16-DESC",
        "EU-TS-21-OTHER",
        "EU-TS-23",
        # Built-in checks with nothing to check here:
        "EU-SCOPE-04",  # no model is open source
        "EU-TS-07",  # no size range is declared, the measured one is shown
        "EU-TS-14",  # every public dataset is named in 2.1 (c)
        "EU-TS-26-CHANGE",  # no previous version given
        "EU-TS-27-PREV",
        "EU-CONS-SYNTHETIC",  # 2.5 (a) is answered Yes: no "no synthetic data" to contradict
    }


@pytest.mark.parametrize("rule_id", sorted(SOURCE_CASES))
def test_rule_fails_when_its_fact_is_broken(tmp_path: Path, rule_id: str) -> None:
    result = evaluate(write_dataset(tmp_path, variant(SOURCE_CASES[rule_id]), good_items()))
    outcome = next(r.outcome for r in result.rules if r.rule_id == rule_id)
    assert outcome is Outcome.FAIL


@pytest.mark.parametrize("rule_id", sorted(ITEM_CASES))
def test_item_rule_fails_on_one_bad_item(tmp_path: Path, rule_id: str) -> None:
    result = evaluate(write_dataset(tmp_path, good_manifest(), ITEM_CASES[rule_id]))
    rule = next(r for r in result.rules if r.rule_id == rule_id)
    assert (rule.outcome, rule.counts.failed) == (Outcome.FAIL, 1)


def test_a_gate_answered_no_with_sources_is_a_finding_not_an_error(tmp_path: Path) -> None:
    manifest = variant(_both(_set("attestations.used_crawlers", "no"), _set("attestations.used_public_datasets", "no")))
    result = evaluate(write_dataset(tmp_path, manifest, good_items()))
    failing = {r.rule_id for r in result.rules if r.outcome is Outcome.FAIL}
    assert {"EU-TS-12-CRAWLED", "EU-TS-12-PUBLIC"} <= failing


def test_unanswered_crawler_flags_are_missing_evidence(tmp_path: Path) -> None:
    manifest = variant(_set("source:crawl.crawler_circumvents_captchas", None))
    result = evaluate(write_dataset(tmp_path, manifest, good_items()))
    assert next(r.outcome for r in result.rules if r.rule_id == "EU-CR-05-CRAWLER") is Outcome.NOT_EVALUABLE


def test_generator_market_status_unknown_is_missing_evidence(tmp_path: Path) -> None:
    manifest = variant(
        _both(_set("source:syn.generator_on_eu_market", None), _set("source:syn.generator_summary_url", None))
    )
    result = evaluate(write_dataset(tmp_path, manifest, good_items()))
    assert next(r.outcome for r in result.rules if r.rule_id == "EU-TS-21-LINK") is Outcome.NOT_EVALUABLE
