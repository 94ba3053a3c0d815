"""The only way WeasyPrint reads anything: files under the template folders.

No network, no other file: a template or a document text that points at ``http://...`` or
``file:///etc/passwd`` is refused, the refusal is recorded, and the renderer turns it into an error.
``data:`` URLs carry their bytes inline and are decoded without any I/O. The resolved fonts do not come
through here: the renderer's font configuration binds them to their file (``aireport.render.pdf``).
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(PermissionError):
    """A URL outside what aireport serves."""


class GuardedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """A WeasyPrint URL fetcher that serves files below ``roots`` and nothing else."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(timeout=1, allow_redirects=False, fail_on_errors=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            path = self._allowed(url)
            if path is not None:
                self.served.append(url)
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        self.refused.append(url)
        raise RefusedURL(f"aireport reads nothing outside its templates and fonts: {url}")

    def _allowed(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        inside = any(path.is_relative_to(root) for root in self.roots)
        return path if inside and path.is_file() else None

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        kind, _, encoding = header.rpartition(";") if header.endswith(";base64") else (header, "", "")
        try:
            body = base64.b64decode(payload, validate=True) if encoding == "base64" else unquote_to_bytes(payload)
        except ValueError:
            self.refused.append(url[:80])
            raise RefusedURL("malformed data: URL") from None
        return URLFetcherResponse(url, body, {"Content-Type": kind or "text/plain"})
