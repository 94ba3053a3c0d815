"""The one error of this package that is not about unreadable input: a check that ran and failed."""

from __future__ import annotations

from aireport.errors import AireportError


class VerificationError(AireportError):
    """A signature, payload type, root or count did not verify. The CLI exits 1 (unreadable input exits 2)."""

    exit_code = 1
