"""The one font family of every PDF: Noto Sans CJK SC, resolved to its file and face and named explicitly.

Left to a generic family, fontconfig picks the Japanese face of the Noto CJK collection for Chinese text (in
an English document, Chinese citations then take Japanese glyph forms), and a font without a glyph draws empty
boxes silently. So the Simplified Chinese face is looked up (``fc-list``: file and face index inside the
collection, which holds the JP, KR, SC, TC and HK faces) and the stylesheet names it in @font-face rules as
the family ``aireport-sans``. The renderer's font configuration (``aireport.render.pdf``) binds those rules
to exactly that file and face; nothing else is fetched for them. ``--font`` replaces the face. Its Latin
glyphs serve English text, so one face covers both languages.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from dataclasses import dataclass
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
    """One face of one font file."""

    family: str  # the name the font gives itself
    path: Path
    index: int  # face index inside a collection, 0 otherwise
    weight: int | None  # None: the face serves every weight

    @property
    def url(self) -> str:
        """The name the @font-face rule gives the face; only the renderer's font configuration resolves it."""
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
        """@font-face rules naming each face."""
        rules = []
        for face in self.faces:
            weight = f" font-weight: {face.weight};" if face.weight else ""
            rules.append(f'@font-face {{ font-family: "{FAMILY}"; src: url("{face.url}");{weight} }}')
        return "\n".join(rules) + "\n"

    def by_url(self) -> dict[str, FontFace]:
        return {face.url: face for face in self.faces}


def _family_names(path: Path, index: int) -> list[str]:
    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        if "cmap" not in font:
            raise ValueError("the font has no character map")
        return [str(n) for n in font["name"].names if n.nameID in (1, 16)] or ["unnamed font"]
    finally:
        font.close()


def _simplified(family: str) -> bool:
    return family.endswith((" SC", " CN", " Simplified Chinese")) or " SC " in family


def _collection_size(path: Path) -> int:
    with path.open("rb") as fh:
        head = fh.read(12)
    if len(head) < 12:
        raise ValueError("too short to be a font")
    return struct.unpack_from(">I", head, 8)[0] if head[:4] == b"ttcf" else 1


def _face(path: Path, want: str, weight: int | None) -> FontFace:
    """The face of ``path`` named ``want``, else a Simplified Chinese face, else the first."""
    if not path.is_file():
        raise RenderError([Problem(str(path), "--font: file not found")])
    try:
        ranked = []
        for i in range(_collection_size(path)):
            names = _family_names(path, i)
            ranked.append((0 if want in names else 1 if any(_simplified(n) for n in names) else 2, i, names))
    except (OSError, TTLibError, ValueError, struct.error, AssertionError, KeyError, EOFError) as exc:
        raise RenderError([Problem(str(path), f"not a font aireport can use: {exc or type(exc).__name__}")]) from None
    _, index, names = min(ranked, key=lambda r: r[:2])
    return FontFace(family=want if want in names else names[0], path=path, index=index, weight=weight)


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
    return {style: (path, index) for style, (_, path, index) in faces.items() if path.is_file()}


def _scan(style: str) -> Path | None:
    """Without fontconfig's list: the usual file names of the Noto CJK packages under the usual folders."""
    for folder in _FONT_DIRS:
        if not folder.is_dir():
            continue
        for name in _DEFAULT_FILES[style]:
            for path in sorted(folder.rglob(name)):
                return path
    return None


@lru_cache(maxsize=1)
def _default_fonts() -> FontSet:
    faces = []
    listed = _fc_list()
    for style, weight in (("regular", 400), ("bold", 700)):
        if style in listed:
            path, index = listed[style]
            faces.append(FontFace(family=DEFAULT_FACE, path=path, index=index, weight=weight))
            continue
        found = _scan(style)
        if found is not None:
            faces.append(_face(found, DEFAULT_FACE, weight))
        elif style == "regular":
            raise RenderError(
                [
                    Problem(
                        "font",
                        f"{DEFAULT_FACE} is not installed. Install the Debian/Ubuntu package {FONT_PACKAGE} "
                        "(make setup does) or name a font file with --font PATH",
                    )
                ]
            )
        # No bold face: bold text is then drawn from the regular one.
    return FontSet(tuple(faces))


@lru_cache(maxsize=8)
def _override(path: Path, mtime_ns: int) -> FontSet:
    return FontSet((_face(path, DEFAULT_FACE, None),))


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
