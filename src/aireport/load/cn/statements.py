"""The statements file of ``aireport cn-assess --statements``: signed answers for what provenance cannot show."""

from __future__ import annotations

from pathlib import Path

from aireport.errors import InputError, Problem
from aireport.load.yamlfile import line_of, read_yaml, validate_yaml
from aireport.models.cn.profile import ClauseCatalogue
from aireport.models.cn.statements import CnStatements


def load_statements(path: Path, display: str, catalogue: ClauseCatalogue) -> CnStatements:
    """Validate the file; a statement may only decide a clause whose catalogue entry allows one."""
    data = read_yaml(path, display)
    if not isinstance(data, dict):
        raise InputError([Problem(display, "the statements file must be a mapping", line=1)])
    statements = validate_yaml(CnStatements, data, display)
    clauses = {c.id: c for c in catalogue.clauses}
    problems: list[Problem] = []
    for clause_id in statements.clauses:
        line = line_of(data, ("clauses", clause_id))
        clause = clauses.get(clause_id)
        if clause is None:
            problems.append(
                Problem(
                    display, f"no clause {clause_id!r}; see the clause ids of the report", line=line, field="clauses"
                )
            )
        elif clause.statement == "never":
            problems.append(
                Problem(
                    display,
                    f"clause {clause_id} is decided by the provenance (rules and checks), not by a statement; "
                    "record the evidence in the manifest or inventory instead",
                    line=line,
                    field=f"clauses.{clause_id}",
                )
            )
    for clause_id in statements.remediation:
        if clause_id not in clauses:
            problems.append(
                Problem(
                    display,
                    f"found {clause_id!r}, which is no clause of the report; allowed: the clause ids of the report",
                    line=line_of(data, ("remediation", clause_id)),
                    field="remediation",
                )
            )
    if problems:
        raise InputError(problems)
    return statements
