"""docs/merkle.md says what the code does: its reference implementation, worked example and SQL are run here."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from aireport.attest.merkle import merkle_root, prove
from aireport.attest.merkle_batch import leaf_hash_sql

DOC = (Path(__file__).resolve().parents[1] / "docs" / "merkle.md").read_text(encoding="utf-8")


def reference() -> dict[str, Any]:
    section = DOC.split("### Reference implementation", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), "docs/merkle.md", "exec"), namespace)
    return namespace


def test_reference_implementation_is_short() -> None:
    section = DOC.split("### Reference implementation", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    lines = [line for line in code.group(1).splitlines() if line.strip() and not line.startswith(("import", "def"))]
    assert len(lines) <= 25


def test_reference_root_and_proofs_agree_with_the_library() -> None:
    ref = reference()
    rng = random.Random(8)
    for n in [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100]:
        rows = [(f"id-{rng.random()}-é", rng.randbytes(32).hex()) for _ in range(n)]
        ordered = sorted(rows, key=lambda r: r[0].encode("utf-8"))
        assert ref["merkle_root"](rows) == merkle_root(ordered).hex()
        for item_id, content_hash in ordered:
            proof = prove(ordered, item_id)
            assert ref["verify_inclusion"](
                item_id, content_hash, proof.leaf_index, proof.tree_size, proof.path, proof.root
            )
            assert not ref["verify_inclusion"](
                item_id, "00" * 32, proof.leaf_index, proof.tree_size, proof.path, proof.root
            )


def test_worked_example() -> None:
    rows = [("img-001", "a" * 64), ("img-002", "b" * 64), ("img-003", "c" * 64)]
    root = merkle_root(rows).hex()
    assert root in DOC
    assert reference()["merkle_root"](rows) == root
    proof = prove(rows, "img-003")
    assert proof.path[0][:8] in DOC
    assert "index 2, size 3, path `[f715a5b6...e4db]`" in DOC
    assert proof.path == ["f715a5b6e1bcba6909b40271ad5f7e7e573facb067205e44863bb6536702e4db"]


def test_sql_in_the_doc_is_the_expression_used() -> None:
    sql = re.search(r"```sql\n(.*?)```", DOC, re.S)
    assert sql is not None
    case = re.search(r"(CASE WHEN .*? END)", sql.group(1), re.S)
    assert case is not None
    assert " ".join(case.group(1).split()) == " ".join(leaf_hash_sql("id", "content_hash").split())
