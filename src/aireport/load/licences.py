"""The licence table: SPDX terms from ``rules/licences.yaml`` plus the provider's ``LicenseRef-*``
declarations, and the resolution of licence expressions against it."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from license_expression import (
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    build_spdx_licensing,
    get_license_index,
)
from pydantic import Field

from aireport.errors import InputError, Problem
from aireport.load.yamlfile import line_of, read_yaml, validate_yaml
from aireport.models.base import Strict
from aireport.models.licences import LicenceResolution, LicenceTerms
from aireport.models.provenance import LicenceDeclaration

NO_LICENCE = "no licence recorded"
_INVALID = "invalid licence expression"

# SPDX idstring: letters, digits, "-" and ".".
_LICENCE_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.-]+$", re.IGNORECASE)
# SPDX ids match case-insensitively, so every lookup goes through casefold().
_NEVER_KNOWN = frozenset({"noassertion", "none"})
_CACHE_SIZE = 4096


@functools.cache
def _licensing() -> Licensing:
    """SPDX licensing from license-expression's vendored index, minus its ``LicenseRef-*`` aliases.

    The index maps some LicenseRef ids onto SPDX ids (``LicenseRef-Apache`` parses as
    ``Apache-2.0``). A LicenseRef is the provider's own name, so it must resolve through the
    provider's declaration or not at all.
    """
    index: list[dict[str, Any]] = [
        {
            **lic,
            "other_spdx_license_keys": [
                alias
                for alias in lic.get("other_spdx_license_keys", [])
                if not alias.casefold().startswith("licenseref-")
            ],
        }
        for lic in get_license_index()
    ]
    return build_spdx_licensing(index)


def _parse(expression: str) -> Any:
    # validate=False keeps ids the index does not know (every provider LicenseRef) as plain
    # symbols; strict=True rejects a licence on the right of WITH ("MIT WITH GPL-3.0-only"),
    # which would otherwise be dropped silently as an "exception".
    return _licensing().parse(expression, validate=False, strict=True)


class _TableEntry(LicenceTerms):
    title: str = Field(min_length=1)


class _TableFile(Strict):
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    note: str = Field(min_length=1)
    licences: dict[str, _TableEntry] = Field(min_length=1)


class LicenceTable:
    """Known licence terms, and the resolution of expressions against them.

    Resolution is most-restrictive across the whole expression, AND and OR alike: the metadata
    does not record which option of an OR the provider elected, so the conservative reading is
    that every named licence applies. ``X WITH exception`` is read as ``X``: exceptions only add
    permissions.
    """

    def __init__(
        self,
        terms: Mapping[str, LicenceTerms],
        titles: Mapping[str, str] | None = None,
        version: str | None = None,
    ) -> None:
        self.version = version
        self._terms = {k.casefold(): v for k, v in terms.items() if k.casefold() not in _NEVER_KNOWN}
        self._titles = {k.casefold(): v for k, v in (titles or {}).items()}
        # Bounded: an item manifest may carry one free-text licence per row.
        self._resolve_cached = functools.lru_cache(maxsize=_CACHE_SIZE)(self._resolve)

    def terms(self, licence_id: str) -> LicenceTerms | None:
        return self._terms.get(licence_id.casefold())

    def title(self, licence_id: str) -> str | None:
        return self._titles.get(licence_id.casefold())

    def resolve(self, expression: str | None) -> LicenceResolution:
        if expression is None or not expression.strip():
            return LicenceResolution(expression=expression or "", error=NO_LICENCE)
        return self._resolve_cached(expression)

    def _resolve(self, expression: str) -> LicenceResolution:
        try:
            parsed = _parse(expression)
        except ExpressionError as exc:
            return LicenceResolution(expression=expression, error=str(exc) or _INVALID)
        except Exception:
            # boolean.py, under license-expression, fails on some garbage ("()", "( OR x") with
            # IndexError or AssertionError; a bad licence string in one row must not stop a run.
            return LicenceResolution(expression=expression, error=_INVALID)
        if parsed is None:
            return LicenceResolution(expression=expression, error=NO_LICENCE)
        ids = _licence_ids(parsed)
        found = [self.terms(i) for i in ids]
        unknown = tuple(i for i, t in zip(ids, found, strict=True) if t is None)
        known = [t for t in found if t is not None]
        return LicenceResolution(
            expression=expression,
            normalised=str(parsed),
            terms=None if unknown else LicenceTerms.most_restrictive(known),
            unknown_ids=unknown,
        )


def _licence_ids(parsed: Any) -> list[str]:
    """Licence ids named by a parsed expression, first appearance first, exceptions dropped."""
    ids: list[str] = []
    for symbol in _licensing().license_symbols(parsed, unique=True, decompose=False):
        key = symbol.license_symbol.key if isinstance(symbol, LicenseWithExceptionSymbol) else symbol.key
        if key not in ids:
            ids.append(key)
    return ids


def _spdx_id_problem(key: str) -> str | None:
    """Why ``key`` cannot be a row of the SPDX table, or None if it can."""
    try:
        parsed = _parse(key)
    except ExpressionError as exc:
        return f"not a licence id: {exc}"
    except Exception:  # see LicenceTable._resolve
        return f"not a licence id: {_INVALID}"
    if not isinstance(parsed, LicenseSymbol):
        return "must be a single SPDX licence id, not an expression"
    if key.casefold().startswith("licenseref-") or _licensing().unknown_license_keys(parsed):
        return "not on the SPDX licence list (declare LicenseRef-* ids in the dataset manifest)"
    if parsed.key != key:
        # Lookups use the parser's canonical key; a deprecated or mis-cased row would never match.
        return f"write the canonical SPDX id {parsed.key}"
    return None


def _declaration_problem(ref: str, spdx_ids: set[str]) -> str | None:
    if _LICENCE_REF.match(ref):
        return None
    if ref.casefold() in spdx_ids or _spdx_id_problem(ref) is None:
        return (
            f"{ref} is an SPDX licence id; its terms come from the licence table and cannot be "
            "declared in the manifest (declare a LicenseRef-* id instead)"
        )
    return "custom licence ids must look like LicenseRef-<letters, digits, '.' or '-'>"


def load_licence_table(
    path: Path,
    declared: Mapping[str, LicenceDeclaration],
    *,
    declared_in: str = "dataset manifest",
) -> LicenceTable:
    """Read the SPDX table at ``path`` and add the provider's ``LicenseRef-*`` declarations.

    ``declared_in`` names the file the declarations came from, for error messages.
    """
    display = str(path)
    data = read_yaml(path, display)
    doc = validate_yaml(_TableFile, data, display)
    problems: list[Problem] = []
    terms: dict[str, LicenceTerms] = {}
    titles: dict[str, str] = {}
    for key, entry in doc.licences.items():
        problem = _spdx_id_problem(key)
        if problem is not None:
            line = line_of(data, ("licences", key))
            problems.append(Problem(display, problem, line=line, field=f"licences.{key}"))
        terms[key] = LicenceTerms.model_validate(entry.model_dump(exclude={"title"}))
        titles[key] = entry.title

    spdx_ids = {k.casefold() for k in terms}
    seen: dict[str, str] = {}
    for ref, decl in declared.items():
        problem = _declaration_problem(ref, spdx_ids)
        if problem is None and ref.casefold() in seen:
            problem = f"declared twice: ids are case-insensitive and {seen[ref.casefold()]} exists"
        if problem is not None:
            problems.append(Problem(declared_in, problem, field=f"licences.{ref}"))
            continue
        seen[ref.casefold()] = ref
        terms[ref] = LicenceTerms.model_validate(decl.model_dump(exclude={"title"}))
        if decl.title:
            titles[ref] = decl.title

    if problems:
        raise InputError(problems)
    return LicenceTable(terms, titles, doc.version)
