"""The one font family of every PDF: Noto Sans CJK SC, resolved to its file and named explicitly.

Left to a generic family, fontconfig picks the Japanese face of the Noto CJK collection for Chinese text, and
a font without a glyph draws empty boxes silently. So the Simplified Chinese face is looked up
(``fc-match``), cut out of its TrueType collection when it is one (the collection holds the JP, KR, SC, TC
and HK faces; handing WeasyPrint the whole file lets fontconfig choose any of them), and served to
WeasyPrint through the guarded URL fetcher under the family name ``aireport-sans``. ``--font`` replaces it.
Its Latin glyphs serve English text, so one face covers both languages.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from aireport.errors import Problem, RenderError

FAMILY = "aireport-sans"
"""The @font-face family every stylesheet names first."""

DEFAULT_FACE = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"
URL_PREFIX = "aireport-font:"
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
_FC_WEIGHTS = {"regular": 80, "bold": 200}  # fontconfig's FC_WEIGHT_REGULAR and FC_WEIGHT_BOLD
_DEFAULT_FILES = {
    "regular": ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"),
    "bold": ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf"),
}


@dataclass(frozen=True)
class FontFace:
    """One face, ready to be served to WeasyPrint."""

    family: str  # the name the font gives itself
    path: Path
    index: int  # face index inside a collection, 0 otherwise
    weight: int | None  # None: serve it for every weight
    data: bytes = field(repr=False)

    @property
    def url(self) -> str:
        return f"{URL_PREFIX}{self.weight or 'any'}"

    @property
    def label(self) -> str:
        where = f"{self.path}, face {self.index}" if self.index else str(self.path)
        return f"{self.family} ({where})"


@dataclass(frozen=True)
class FontSet:
    faces: tuple[FontFace, ...]

    @property
    def label(self) -> str:
        return self.faces[0].label

    def css(self) -> str:
        """@font-face rules naming each face by its guarded URL."""
        rules = []
        for face in self.faces:
            weight = f" font-weight: {face.weight};" if face.weight else ""
            rules.append(f'@font-face {{ font-family: "{FAMILY}"; src: url("{face.url}");{weight} }}')
        return "\n".join(rules) + "\n"

    def resources(self) -> dict[str, bytes]:
        return {face.url: face.data for face in self.faces}


def collection_face(data: bytes, index: int) -> bytes:
    """Face ``index`` of a TrueType/OpenType collection as a standalone font, by copying its tables' bytes.

    Nothing is decoded, so this takes milliseconds where re-serialising the 65,000-glyph CFF face takes
    a quarter of a second. Only the whole-file checksum in ``head`` goes stale, which no renderer reads.
    """
    if data[:4] != b"ttcf":
        if index:
            raise ValueError("not a font collection")
        return data
    count = struct.unpack_from(">I", data, 8)[0]
    if not 0 <= index < count:
        raise ValueError(f"the collection has {count} faces, not {index + 1}")
    start = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    sfnt_version, num_tables, search_range, entry_selector, range_shift = struct.unpack_from(">IHHHH", data, start)
    records = [struct.unpack_from(">4sIII", data, start + 12 + 16 * i) for i in range(num_tables)]
    header = [struct.pack(">IHHHH", sfnt_version, num_tables, search_range, entry_selector, range_shift)]
    body: list[bytes | memoryview] = []
    position = 12 + 16 * num_tables
    view = memoryview(data)
    for tag, checksum, table_offset, length in records:
        header.append(struct.pack(">4sIII", tag, checksum, position, length))
        body += [view[table_offset : table_offset + length], b"\0" * (-length % 4)]
        position += length + (-length % 4)
    return b"".join([*header, *body])


def _family_names(data: bytes, index: int) -> list[str]:
    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
    try:
        if "cmap" not in font:
            raise ValueError("the font has no character map")
        return [str(n) for n in font["name"].names if n.nameID in (1, 16)] or ["unnamed font"]
    finally:
        font.close()


def _simplified(family: str) -> bool:
    return family.endswith((" SC", " CN", " Simplified Chinese")) or " SC " in family


def _collection_size(data: bytes) -> int:
    return struct.unpack_from(">I", data, 8)[0] if data[:4] == b"ttcf" else 1


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RenderError([Problem(str(path), f"{what}: file not found")]) from None
    except OSError as exc:
        raise RenderError([Problem(str(path), f"{what}: cannot read: {exc.strerror or exc}")]) from None


def _face(path: Path, index: int | None, want: str, weight: int | None) -> FontFace:
    """Face ``index`` of ``path`` (fontconfig found ``want`` there); else its face named ``want``, else a
    Simplified Chinese face, else the first."""
    data = _read(path, "font")
    try:
        if index is not None:
            return FontFace(family=want, path=path, index=index, weight=weight, data=collection_face(data, index))
        ranked: list[tuple[int, int, list[str]]] = []
        for i in range(_collection_size(data)):
            names = _family_names(data, i)
            ranked.append((0 if want in names else 1 if any(_simplified(n) for n in names) else 2, i, names))
        chosen = min(ranked, key=lambda r: r[:2])[1:] if ranked else None
        assert chosen is not None
        face = collection_face(data, chosen[0])
    except (TTLibError, ValueError, struct.error, AssertionError, KeyError, EOFError) as exc:
        raise RenderError([Problem(str(path), f"not a font aireport can use: {exc or type(exc).__name__}")]) from None
    i, names = chosen
    return FontFace(family=want if want in names else names[0], path=path, index=i, weight=weight, data=face)


def _fc_list() -> dict[str, tuple[Path, int]]:
    """The regular and bold faces of Noto Sans CJK SC as fontconfig knows them: style -> (file, index)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return {}
    try:
        done = subprocess.run(
            [exe, "-f", "%{file}\t%{index}\t%{family}\t%{weight}\n", DEFAULT_FACE],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    faces: dict[str, tuple[int, Path, int]] = {}  # style -> (distance from the wanted weight, file, index)
    for line in sorted(done.stdout.splitlines()):
        parts = line.split("\t")
        if len(parts) != 4 or DEFAULT_FACE not in parts[2].split(",") or not parts[3].isdigit():
            continue
        for style, wanted in _FC_WEIGHTS.items():
            distance = abs(int(parts[3]) - wanted)
            if distance <= 20 and (style not in faces or distance < faces[style][0]):
                faces[style] = (distance, Path(parts[0]), int(parts[1] or 0))
    return {style: (path, index) for style, (_, path, index) in faces.items()}


def _scan(style: str) -> tuple[Path, None] | None:
    """Without fc-match: the usual file names of the Noto CJK packages under the usual folders."""
    for folder in _FONT_DIRS:
        if not folder.is_dir():
            continue
        for name in _DEFAULT_FILES[style]:
            for path in sorted(folder.rglob(name)):
                return path, None
    return None


@lru_cache(maxsize=8)
def _default_fonts() -> FontSet:
    faces = []
    listed = _fc_list()
    for style, weight in (("regular", 400), ("bold", 700)):
        found: tuple[Path, int | None] | None = listed.get(style) or _scan(style)
        if found is None:
            if style == "bold":
                continue  # bold is then drawn from the regular face
            raise RenderError(
                [
                    Problem(
                        "font",
                        f"{DEFAULT_FACE} is not installed. Install the Debian/Ubuntu package {FONT_PACKAGE} "
                        "(make setup does) or name a font file with --font PATH",
                    )
                ]
            )
        path, index = found
        faces.append(_face(path, index, DEFAULT_FACE, weight))
    return FontSet(tuple(faces))


@lru_cache(maxsize=8)
def _override(path: Path, mtime_ns: int) -> FontSet:
    return FontSet((_face(path, None, DEFAULT_FACE, None),))


def resolve_fonts(override: Path | None = None) -> FontSet:
    """The faces of every PDF: ``override`` (a TTF, OTF or collection; in a collection the Simplified Chinese
    face if it has one, else the first), or Noto Sans CJK SC regular and bold."""
    if override is None:
        return _default_fonts()
    try:
        stat = override.stat()
    except OSError:
        raise RenderError([Problem(str(override), "--font: file not found")]) from None
    return _override(override.resolve(), stat.st_mtime_ns)
