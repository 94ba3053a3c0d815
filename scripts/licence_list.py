#!/usr/bin/env python3
"""The SPDX licence list that rules/licences.yaml must classify, from the installed license-expression.

license-expression ships ScanCode LicenseDB's index, which carries every SPDX licence id (and the
version of the SPDX License List it follows). This script writes that list, with ScanCode's category
for each id, to tests/fixtures/licences/spdx-licence-ids.tsv, and checks the table against it:

    .venv/bin/python scripts/licence_list.py            # write the list, then check the table
    .venv/bin/python scripts/licence_list.py --check    # only check (exit 1 if an id has no class)
    .venv/bin/python scripts/licence_list.py --draft    # print table rows to review for missing ids

The classification itself is not generated: --draft proposes a profile from ScanCode's category for
a reviewer to confirm against the licence text before the row goes into rules/licences.yaml.
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from license_expression import get_license_index
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "rules" / "licences.yaml"
LIST = ROOT / "tests" / "fixtures" / "licences" / "spdx-licence-ids.tsv"

# A first guess for --draft only; every drafted row says so in its reason until reviewed.
DRAFT_PROFILE = {
    "Public Domain": "public-domain",
    "Permissive": "permissive-notice",
    "Copyleft": "copyleft",
    "Copyleft Limited": "weak-copyleft",
}


def spdx_list_version() -> str:
    about = files("license_expression") / "data" / "license_key_index.json.ABOUT"
    for line in about.read_text(encoding="utf-8").splitlines():
        if line.startswith("spdx_license_list_version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def spdx_licences() -> dict[str, str]:
    """SPDX licence id -> ScanCode category, exceptions and ScanCode's own LicenseRef ids left out."""
    found: dict[str, str] = {}
    for lic in get_license_index():
        key = lic.get("spdx_license_key")
        if key and not lic.get("is_exception") and not key.casefold().startswith("licenseref-"):
            found[key] = lic.get("category") or ""
    return dict(sorted(found.items(), key=lambda kv: kv[0].casefold()))


def write_list(licences: dict[str, str]) -> None:
    le_version = metadata.version("license-expression")
    lines = [
        f"# SPDX License List {spdx_list_version()}: licence ids (exceptions excluded) in the index of "
        f"license-expression {le_version}, with ScanCode LicenseDB's category. Written by scripts/licence_list.py.",
        "id\tscancode_category",
        *(f"{key}\t{category}" for key, category in licences.items()),
    ]
    LIST.parent.mkdir(parents=True, exist_ok=True)
    LIST.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{LIST.relative_to(ROOT)}: {len(licences)} ids (SPDX License List {spdx_list_version()})")


def table_ids() -> set[str]:
    data = YAML(typ="safe", pure=True).load(TABLE.read_text(encoding="utf-8"))
    return set(data["licences"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare the table with the list")
    parser.add_argument("--draft", action="store_true", help="print draft rows for ids without a class")
    args = parser.parse_args(argv)

    licences = spdx_licences()
    if not args.check and not args.draft:
        write_list(licences)
    listed = table_ids()
    missing = [k for k in licences if k not in listed]
    extra = sorted(listed - set(licences), key=str.casefold)
    if args.draft:
        for key in missing:
            profile = DRAFT_PROFILE.get(licences[key], "unstated")
            print(
                f'  {key}: {{title: "TODO", profile: {profile}, reason: "Draft from ScanCode category '
                f'{licences[key] or "none"}: review against the licence text."}}'
            )
        return 0
    print(f"{TABLE.relative_to(ROOT)}: {len(listed)} SPDX ids classified of {len(licences)} on the list")
    for key in missing:
        print(f"  no class: {key} ({licences[key]})")
    for key in extra:
        print(f"  not on the installed list: {key}")
    return 1 if missing or extra else 0


if __name__ == "__main__":
    sys.exit(main())
