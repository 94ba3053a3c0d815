"""A Hugging Face dataset card (``README.md``): the YAML front matter and the sections of the card template.

The front matter gives the licence, languages, task categories (hence the modality) and, where the card has
``dataset_info``, the splits and sizes; the sections give the summary, the homepage and, in words only, what the
card says of personal data. The card is parsed here rather than with ``huggingface_hub`` so that a broken front
matter is an error at its line in the file. One card is one source, a published dataset.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from aireport.errors import InputError, Problem
from aireport.load.import_support import Notes, language_tags, placeholder_manifest, slug, text
from aireport.load.importers import Imported, Importer
from aireport.models.provenance import DataSplit, EuCategory, Modality, Source

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MODALITY_WORDS: tuple[tuple[Modality, tuple[str, ...]], ...] = (
    (Modality.VIDEO, ("video",)),
    (Modality.AUDIO, ("audio", "speech", "voice")),
    (Modality.IMAGE, ("image", "object-detection", "depth-estimation", "visual")),
    (Modality.CODE, ("code",)),
    (Modality.TEXT, ("text", "question-answering", "translation", "summarization", "fill-mask", "token-")),
)
_SPLITS = {"train": DataSplit.TRAINING, "validation": DataSplit.VALIDATION, "test": DataSplit.TESTING}
_NO_LICENCE = {"other", "unknown", "unlicensed", "none"}


def detect(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in {".md", ".markdown"} and head.lstrip(b"\xef\xbb\xbf").startswith(b"---")


def front_matter(card: str, display: str) -> tuple[CommentedMap, str]:
    """The parsed front matter (lines kept) and the body after it."""
    lines = card.lstrip("\ufeff").split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise InputError([Problem(display, "a dataset card starts with a '---' line and YAML front matter", line=1)])
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        raise InputError([Problem(display, "the front matter has no closing '---' line", line=1)])
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load("\n".join(lines[1:end])) or CommentedMap()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for the opening '---'
        message = f"malformed YAML front matter: {exc.problem or exc.context}"
        raise InputError([Problem(display, message, line=line)]) from None
    except YAMLError as exc:
        raise InputError([Problem(display, f"malformed YAML front matter: {exc}")]) from None
    if not isinstance(data, CommentedMap):
        raise InputError([Problem(display, f"the front matter must be a mapping, found {type(data).__name__}", 2)])
    return data, "\n".join(lines[end + 1 :])


def sections(body: str) -> dict[str, str]:
    """Heading title (link syntax removed, lower case) -> the text under it, up to the next heading."""
    out: dict[str, str] = {}
    found = list(_HEADING.finditer(body))
    for i, match in enumerate(found):
        title = _LINK.sub(r"\1", match.group(2)).strip().casefold()
        end = found[i + 1].start() if i + 1 < len(found) else len(body)
        out.setdefault(title, body[match.end() : end].strip())
    return out


def _line(data: CommentedMap, key: str) -> int:
    return int(data.lc.key(key)[0]) + 2


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _modality(tasks: list[str], notes: Notes) -> Modality:
    for modality, words in _MODALITY_WORDS:
        if any(word in task for task in tasks for word in words):
            if len(tasks) > 1:
                notes.assumed("sources[0].modality", f"from task_categories {', '.join(tasks)}")
            return modality
    notes.missing("sources[0].modality", "no task_categories to tell it; set text, image, audio, video or code")
    return Modality.OTHER


def _licence(meta: CommentedMap, notes: Notes) -> str | None:
    licences = [v for v in _listed(meta.get("license", meta.get("licenses"))) if v.casefold() not in _NO_LICENCE]
    name = meta.get("license_name")
    if not licences and name:
        licences = [f"LicenseRef-{slug(str(name))}"]
        notes.assumed("sources[0].license", f"license: other, named {name!r}; declare its terms under licences:")
    if not licences:
        notes.missing("sources[0].license", "the card says other, unknown or nothing")
        return None
    if len(licences) > 1:
        notes.assumed("sources[0].license", "the card lists several licences; read as all applying (AND)")
    return " AND ".join(licences)


def _sizes(meta: CommentedMap, notes: Notes) -> dict[str, Any]:
    info = meta.get("dataset_info")
    if isinstance(info, list):
        if len(info) > 1:
            notes.assumed("sources[0].declared_items", "the first of several dataset_info configurations")
        info = info[0] if info else None
    if not isinstance(info, dict):
        notes.missing("sources[0].declared_items", "no dataset_info; size_categories is only a range")
        return {}
    splits = [s for s in info.get("splits") or [] if isinstance(s, dict)]
    out: dict[str, Any] = {}
    items = [s.get("num_examples") for s in splits]
    if items and all(isinstance(n, int) for n in items):
        out["declared_items"] = sum(items)
    if isinstance(info.get("dataset_size"), int):
        out["declared_bytes"] = info["dataset_size"]
    out["splits"] = sorted({_SPLITS[s["name"]] for s in splits if s.get("name") in _SPLITS}, key=list(DataSplit).index)
    return out


def read(path: Path, display: str) -> Imported:
    try:
        card = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(display, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(display, f"cannot read: {exc}")]) from None
    meta, body = front_matter(card, display)
    parts = sections(body)
    notes = Notes("dataset card")
    title = next((t for t in parts if t.startswith("dataset card for")), None)
    name = text(meta.get("pretty_name")) or (title[len("dataset card for") :].strip(" \"'") if title else path.stem)
    lang_key = "language" if "language" in meta else "languages"
    langs = _listed(meta.get(lang_key))
    tags = language_tags(langs, display, lang_key, _line(meta, lang_key) if langs else None)
    if not tags:
        notes.missing("sources[0].languages")
    homepage = re.search(r"\*\*Homepage:\*\*\s*\[?([^\]\s)]+)", body)
    url = homepage.group(1) if homepage and homepage.group(1).startswith("http") else None
    description = text(parts.get("dataset summary")) or text(parts.get("dataset description"))
    personal = text(parts.get("personal and sensitive information"))
    notes.missing(
        "sources[0].personal_data",
        f"the card says in words: {personal[:160]!r}; answer true or false" if personal else "",
    )
    source = Source(
        source_id=slug(name),
        name=name,
        eu_category=EuCategory.PUBLIC_DATASET,
        modality=_modality(_listed(meta.get("task_categories")), notes),
        url=url,
        license=_licence(meta, notes),
        languages=tags,
        publicly_known=True,
        description=_LINK.sub(r"\1", description) if description else None,
        **_sizes(meta, notes),
    )
    notes.assumed("sources[0].eu_category", "a dataset published with a card is a publicly available dataset, 2.1")
    manifest = placeholder_manifest(name, [source], notes)
    return Imported(manifest=manifest, sources=(source,), notes=tuple(notes.items.items()))


IMPORTER = Importer("hf-card", "Hugging Face dataset card (README.md with YAML front matter)", detect, read)
