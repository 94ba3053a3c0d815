"""The licence table: terms of every SPDX licence and of documented ``LicenseRef-*`` entries from
``rules/licences.yaml``, the provider's ``LicenseRef-*`` declarations, the alias table of common
spellings, and the resolution of licence expressions against them."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from license_expression import (
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    build_spdx_licensing,
    get_license_index,
)
from pydantic import ConfigDict, Field, PlainValidator

from aireport.errors import InputError, Problem
from aireport.load.yamlfile import line_of, read_yaml, validate_yaml, with_marks
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
_TERMS = (*LicenceTerms.PERMISSIONS, *LicenceTerms.OBLIGATIONS)
# Operators and parentheses of an SPDX expression; an operator is a whole word (license-expression
# accepts them in any case).
_SPLIT = re.compile(r"(\(|\)|(?<![^\s()])(?:AND|OR|WITH)(?![^\s()]))", re.IGNORECASE)
_OPERATOR_WORDS = frozenset({"and", "or", "with"})


def spelling_key(text: str) -> str:
    """How a licence name is compared with the alias table and the table's ids.

    Case is ignored, "licence" reads as "license", and any run of spaces, hyphens and underscores
    is one separator; surrounding quotes, a leading "the" and a trailing "license" are dropped. So
    "CC BY-SA 4.0 License" and "cc_by_sa_4.0" both read as the SPDX id CC-BY-SA-4.0, and "The MIT
    License" as MIT, without an alias.
    """
    key = text.strip().strip("\"'").casefold().replace("licence", "license")
    key = re.sub(r"[\s_-]+", "-", key).strip("-")
    key = key.removeprefix("the-")
    return key.removesuffix("-license") or key


@functools.cache
def _licensing() -> Licensing:
    """SPDX licensing from license-expression's vendored index, minus its ``LicenseRef-*`` aliases.

    The index maps some LicenseRef ids onto SPDX ids (``LicenseRef-Apache`` parses as
    ``Apache-2.0``). A LicenseRef is the provider's own name, so it must resolve through the
    provider's declaration, a documented entry of the table or an alias, never silently.
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


def spdx_licence_ids() -> list[str]:
    """Every licence id (exceptions excluded) of the SPDX licence list in license-expression's index."""
    return sorted(
        {
            key
            for lic in get_license_index()
            if (key := lic.get("spdx_license_key"))
            and not lic.get("is_exception")
            and not key.casefold().startswith("licenseref-")
        },
        key=str.casefold,
    )


def _parse(expression: str) -> Any:
    # validate=False keeps ids the index does not know (every provider LicenseRef) as plain
    # symbols; strict=True rejects a licence on the right of WITH ("MIT WITH GPL-3.0-only"),
    # which would otherwise be dropped silently as an "exception".
    return _licensing().parse(expression, validate=False, strict=True)


def _try_parse(expression: str) -> tuple[Any, str | None]:
    try:
        return _parse(expression), None
    except ExpressionError as exc:
        return None, str(exc) or _INVALID
    except Exception:
        # boolean.py, under license-expression, fails on some garbage ("()", "( OR x") with
        # IndexError or AssertionError; a bad licence string in one row must not stop a run.
        return None, _INVALID


# --- the table file ------------------------------------------------------------------------------


def _term_value(value: object) -> object:
    # One plain check instead of a union, so a bad value gets one message; strict: a quoted "false"
    # or a YAML 1.1 `no` is not a boolean here.
    if value is True or value is False or value == "unknown":
        return value
    raise ValueError("must be true, false or unknown")


# A term as the table writes it: true, false, or the word "unknown" (never a missing value).
TermValue = Annotated[bool | Literal["unknown"], PlainValidator(_term_value)]


class _Profile(Strict):
    """A named set of terms shared by a family of licences, with the reading that justifies it."""

    model_config = ConfigDict(strict=True)

    commercial_use: TermValue
    ai_training: TermValue
    redistribution: TermValue
    attribution: TermValue
    share_alike: TermValue
    reason: str = Field(min_length=1)


class _Entry(Strict):
    """One licence: its profile, and any term where it departs from the profile (with a reason)."""

    model_config = ConfigDict(strict=True)

    title: str = Field(min_length=1)
    profile: str = Field(min_length=1)
    reason: str | None = Field(None, min_length=1)
    source: str | None = Field(None, min_length=1)
    commercial_use: TermValue | None = None
    ai_training: TermValue | None = None
    redistribution: TermValue | None = None
    attribution: TermValue | None = None
    share_alike: TermValue | None = None

    def overrides(self) -> dict[str, TermValue]:
        return {t: v for t in _TERMS if (v := getattr(self, t)) is not None}


class _TableFile(Strict):
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    note: str = Field(min_length=1)
    profiles: dict[str, _Profile] = Field(min_length=1)
    licences: dict[str, _Entry] = Field(min_length=1)
    custom: dict[str, _Entry] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict)


def _term(value: TermValue) -> bool | None:
    return None if value == "unknown" else bool(value)


# --- the table ------------------------------------------------------------------------------------


class LicenceTable:
    """Known licence terms, the alias table, and the resolution of expressions against them.

    Resolution reads every licence of an expression as applying, AND and OR alike: the metadata
    does not record which option of an OR the provider elected. Terms are then decided on what is
    known (:meth:`LicenceTerms.combine`): a licence that forbids a use decides it whatever else is
    unknown. ``X WITH exception`` is read as ``X``: the SPDX exceptions add permissions for linking,
    fonts or build output and never a prohibition, and none lifts a restriction on commercial use,
    training or redistribution of data, so the base licence's terms stand (obligations included).

    Spellings are read before parsing: the whole string, then each operand, is looked up in the
    alias table and among the table's own ids by :func:`spelling_key`.
    """

    def __init__(
        self,
        terms: Mapping[str, LicenceTerms],
        titles: Mapping[str, str] | None = None,
        version: str | None = None,
        *,
        aliases: Mapping[str, str] | None = None,
        reasons: Mapping[str, str] | None = None,
    ) -> None:
        self.version = version
        self._terms = {k.casefold(): v for k, v in terms.items() if k.casefold() not in _NEVER_KNOWN}
        self._titles = {k.casefold(): v for k, v in (titles or {}).items()}
        self._reasons = {k.casefold(): v for k, v in (reasons or {}).items()}
        self._ids = {spelling_key(k): k for k in terms if k.casefold() not in _NEVER_KNOWN}
        self._aliases = {spelling_key(k): v for k, v in (aliases or {}).items()}
        # Spellings with an operator word in them ("GPL v2 or later") are found before the
        # expression is split at its operators.
        spellings = {**self._ids, **self._aliases}
        self._phrases: list[tuple[re.Pattern[str], str]] = [
            (_phrase_pattern(key), target)
            for key, target in sorted(spellings.items(), key=lambda kv: (-len(kv[0]), kv[0]))
            if _OPERATOR_WORDS & set(key.split("-"))
        ]
        # Bounded: an item manifest may carry one free-text licence per row.
        self._resolve_cached = functools.lru_cache(maxsize=_CACHE_SIZE)(self._resolve)

    def __len__(self) -> int:
        return len(self._terms)

    def ids(self) -> list[str]:
        """Every id with terms (SPDX, documented LicenseRef-* and declared), as written."""
        return sorted(self._ids.values(), key=str.casefold)

    def terms(self, licence_id: str) -> LicenceTerms | None:
        return self._terms.get(licence_id.casefold())

    def title(self, licence_id: str) -> str | None:
        return self._titles.get(licence_id.casefold())

    def reason(self, licence_id: str) -> str | None:
        """Why the table gives these terms (the entry's own reason, else its profile's)."""
        return self._reasons.get(licence_id.casefold())

    def spelling(self, written: str) -> str | None:
        """The id or expression a spelling stands for (alias table, then the table's ids), or None."""
        key = spelling_key(written)
        return self._aliases.get(key) or self._ids.get(key)

    def resolve(self, expression: str | None) -> LicenceResolution:
        if expression is None or not expression.strip():
            return LicenceResolution(expression=expression or "", error=NO_LICENCE)
        return self._resolve_cached(expression)

    def _resolve(self, expression: str) -> LicenceResolution:
        rewritten, aliased = self._rewrite(expression)
        parsed, error = _try_parse(rewritten)
        if error is not None:
            return LicenceResolution(expression=expression, error=error, aliased=aliased)
        if parsed is None:
            return LicenceResolution(expression=expression, error=NO_LICENCE)
        ids = _licence_ids(parsed)
        found = [self.terms(i) for i in ids]
        unknown = tuple(i for i, t in zip(ids, found, strict=True) if t is None)
        strangers = set(_licensing().unknown_license_keys(parsed))
        unrecognised = tuple(
            i for i in unknown if i in strangers and i.casefold() not in _NEVER_KNOWN and not _LICENCE_REF.match(i)
        )
        error = None
        if unrecognised:
            names = ", ".join(repr(i) for i in unrecognised)
            error = (
                f"not a licence id: {names} (neither an SPDX licence id, nor LicenseRef-*, "
                "nor a spelling in the alias table)"
            )
        return LicenceResolution(
            expression=expression,
            normalised=str(parsed),
            terms=LicenceTerms.combine(t or LicenceTerms.unknown() for t in found),
            unknown_ids=unknown,
            unrecognised=unrecognised,
            aliased=aliased,
            error=error,
        )

    def _rewrite(self, expression: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The expression with every known spelling replaced by its SPDX id or expression."""
        written = expression.strip()
        whole = self.spelling(written)
        if whole is not None:
            return whole, (((written, whole),) if whole.casefold() != written.casefold() else ())
        applied: list[tuple[str, str]] = []
        text = written
        if _OPERATOR_WORDS & set(re.split(r"[\s_()-]+", written.casefold())):
            for pattern, target in self._phrases:
                text = pattern.sub(_recorder(applied, target), text)
        out: list[str] = []
        after_with = False
        for part in _SPLIT.split(text):
            operand = part.strip()
            if not operand or operand in "()" or operand.casefold() in _OPERATOR_WORDS:
                after_with = operand.casefold() == "with"
                out.append(part)
                continue
            new = None if after_with else self.spelling(operand)
            if new is None or new.casefold() == operand.casefold():
                out.append(part)
            else:
                applied.append((operand, new))
                out.append(f" ({new}) ")
        return "".join(out), tuple(applied)


def _phrase_pattern(key: str) -> re.Pattern[str]:
    words = [re.escape(w).replace("license", "licen[cs]e") for w in key.split("-")]
    return re.compile(r"(?<![^\s(])" + r"[\s_-]+".join(words) + r"(?![^\s)])", re.IGNORECASE)


def _recorder(applied: list[tuple[str, str]], target: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        if match.group(0).casefold() != target.casefold():
            applied.append((match.group(0), target))
        return f"({target})"

    return replace


def _licence_ids(parsed: Any) -> list[str]:
    """Licence ids named by a parsed expression, first appearance first, exceptions dropped."""
    ids: list[str] = []
    for symbol in _licensing().license_symbols(parsed, unique=True, decompose=False):
        key = symbol.license_symbol.key if isinstance(symbol, LicenseWithExceptionSymbol) else symbol.key
        if key not in ids:
            ids.append(key)
    return ids


# --- loading ----------------------------------------------------------------------------------------


@functools.cache
def _canonical_spdx_ids() -> frozenset[str]:
    return frozenset(spdx_licence_ids())


def _spdx_id_problem(key: str) -> str | None:
    """Why ``key`` cannot be a row of the SPDX table, or None if it can."""
    if key in _canonical_spdx_ids():
        return None
    parsed, error = _try_parse(key)
    if error is not None:
        return f"not a licence id: {error}"
    if not isinstance(parsed, LicenseSymbol):
        return "must be a single SPDX licence id, not an expression"
    if key.casefold().startswith("licenseref-") or _licensing().unknown_license_keys(parsed):
        return "not on the SPDX licence list (documented LicenseRef-* entries go under custom)"
    if parsed.key != key:
        # Lookups use the parser's canonical key; a deprecated or mis-cased row would never match.
        return f"write the canonical SPDX id {parsed.key}"
    return None


def _custom_id_problem(key: str) -> str | None:
    if not _LICENCE_REF.match(key):
        return "custom licence ids must look like LicenseRef-<letters, digits, '.' or '-'>"
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


class _Read:
    """The shipped table file read into terms, titles, reasons and aliases, with its problems."""

    def __init__(self, path: Path, marks: bool) -> None:
        self.display = str(path)
        self.data = read_yaml(path, self.display, marks=marks)
        self.doc = validate_yaml(_TableFile, self.data, self.display)
        self.problems: list[Problem] = []
        self.terms: dict[str, LicenceTerms] = {}
        self.titles: dict[str, str] = {}
        self.reasons: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self._listed: set[str] = set()
        self._entries("licences", self.doc.licences, _spdx_id_problem)
        self._entries("custom", self.doc.custom, _custom_id_problem)
        self._check_spellings()
        self._aliases()

    def problem(self, message: str, *loc: str) -> None:
        self.problems.append(Problem(self.display, message, line=line_of(self.data, loc), field=".".join(loc)))

    def _entries(self, section: str, entries: Mapping[str, _Entry], id_problem: Callable[[str], str | None]) -> None:
        for key, entry in entries.items():
            problem = id_problem(key)
            if problem is None and key.casefold() in self._listed:
                problem = "listed twice (ids are case-insensitive)"
            if problem is not None:
                self.problem(problem, section, key)
                continue
            profile = self.doc.profiles.get(entry.profile)
            if profile is None:
                self.problem(f"unknown profile {entry.profile!r}", section, key, "profile")
                continue
            overrides = entry.overrides()
            if overrides and entry.reason is None:
                self.problem("an entry that departs from its profile must give its reason", section, key)
            values = {t: _term(overrides.get(t, getattr(profile, t))) for t in _TERMS}
            self.terms[key] = LicenceTerms.model_validate(values)
            self._listed.add(key.casefold())
            self.titles[key] = entry.title
            self.reasons[key] = entry.reason or profile.reason

    def _check_spellings(self) -> None:
        seen: dict[str, str] = {}
        for key in self.terms:
            other = seen.setdefault(spelling_key(key), key)
            if other != key:
                section = "custom" if key.casefold().startswith("licenseref-") else "licences"
                self.problem(f"reads the same as {other} once spaces and hyphens are ignored", section, key)

    def _aliases(self) -> None:
        ids = {spelling_key(k) for k in self.terms}
        seen: dict[str, str] = {}
        for written, target in self.doc.aliases.items():
            key = spelling_key(written)
            if key in ids:
                self.problem("already reads as a licence id of the table; drop the alias", "aliases", written)
            elif key in seen:
                self.problem(f"reads the same as the alias {seen[key]!r}", "aliases", written)
            elif (problem := self._target_problem(target)) is not None:
                self.problem(problem, "aliases", written)
            else:
                seen[key] = written
                self.aliases[written] = target

    def _target_problem(self, target: str) -> str | None:
        parsed, error = _try_parse(target)
        if error is not None or parsed is None:
            return f"target is not a licence expression: {error or _INVALID}"
        if str(parsed) != target:
            return f"write the target as the canonical expression {parsed}"
        missing = [i for i in _licence_ids(parsed) if i.casefold() not in _NEVER_KNOWN and i not in self.terms]
        if missing:
            return f"target names ids the table does not list: {', '.join(missing)}"
        return None


def _read_table(path: Path) -> _Read:
    """The shipped table, parsed once per process while the file is unchanged (about 0.2 s)."""
    try:
        stat = path.stat()
    except OSError:
        return _read_table_once(path, (0, 0))  # read_yaml names the problem
    return _read_table_once(path, (stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _read_table_once(path: Path, stamp: tuple[int, int]) -> _Read:
    def read(marks: bool) -> tuple[_Read, list[Problem]]:
        table = _Read(path, marks)
        return table, table.problems

    table, problems = with_marks(read)
    if problems:
        raise InputError(problems)
    return table


def load_licence_table(
    path: Path,
    declared: Mapping[str, LicenceDeclaration],
    *,
    declared_in: str = "dataset manifest",
) -> LicenceTable:
    """Read the table at ``path`` and add the provider's ``LicenseRef-*`` declarations.

    A declaration of an id the table documents under ``custom`` (``LicenseRef-Llama-2``...)
    replaces the documented terms: a LicenseRef is the provider's own name (SPDX), so the provider's
    statement of its terms wins. ``declared_in`` names the file the declarations came from, for
    error messages.
    """
    shipped = _read_table(path)
    terms = dict(shipped.terms)
    titles = dict(shipped.titles)
    reasons = dict(shipped.reasons)
    spdx_ids = {k.casefold() for k in terms if not k.casefold().startswith("licenseref-")}
    by_case = {k.casefold(): k for k in terms}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for ref, decl in declared.items():
        problem = _declaration_problem(ref, spdx_ids)
        if problem is None and ref.casefold() in seen:
            problem = f"declared twice: ids are case-insensitive and {seen[ref.casefold()]} exists"
        if problem is not None:
            problems.append(Problem(declared_in, problem, field=f"licences.{ref}"))
            continue
        seen[ref.casefold()] = ref
        documented = by_case.pop(ref.casefold(), None)
        if documented is not None:
            for mapping in (terms, titles, reasons):
                mapping.pop(documented, None)
        terms[ref] = LicenceTerms.model_validate(decl.model_dump(exclude={"title"}))
        reasons[ref] = f"declared in {declared_in}"
        if decl.title:
            titles[ref] = decl.title

    if problems:
        raise InputError(problems)
    return LicenceTable(terms, titles, shipped.doc.version, aliases=shipped.aliases, reasons=reasons)
