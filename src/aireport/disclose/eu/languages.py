"""Language names for template section 1.3 (v), and the 24 official languages of the European Union.

The EU official languages are those of Council Regulation No 1/1958 as amended (24 since Irish became a full
official language in 2022). Names are keyed by the ISO 639-1 primary subtag of a BCP 47 tag; a tag whose
language is not in the table is shown as the tag itself.
"""

from __future__ import annotations

from typing import Final

from aireport.models.base import Bilingual

EU_OFFICIAL: Final = frozenset(
    {"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr"}
    | {"hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"}
)

_NAMES: Final[dict[str, tuple[str, str]]] = {
    # EU official languages
    "bg": ("Bulgarian", "保加利亚语"),
    "cs": ("Czech", "捷克语"),
    "da": ("Danish", "丹麦语"),
    "de": ("German", "德语"),
    "el": ("Greek", "希腊语"),
    "en": ("English", "英语"),
    "es": ("Spanish", "西班牙语"),
    "et": ("Estonian", "爱沙尼亚语"),
    "fi": ("Finnish", "芬兰语"),
    "fr": ("French", "法语"),
    "ga": ("Irish", "爱尔兰语"),
    "hr": ("Croatian", "克罗地亚语"),
    "hu": ("Hungarian", "匈牙利语"),
    "it": ("Italian", "意大利语"),
    "lt": ("Lithuanian", "立陶宛语"),
    "lv": ("Latvian", "拉脱维亚语"),
    "mt": ("Maltese", "马耳他语"),
    "nl": ("Dutch", "荷兰语"),
    "pl": ("Polish", "波兰语"),
    "pt": ("Portuguese", "葡萄牙语"),
    "ro": ("Romanian", "罗马尼亚语"),
    "sk": ("Slovak", "斯洛伐克语"),
    "sl": ("Slovenian", "斯洛文尼亚语"),
    "sv": ("Swedish", "瑞典语"),
    # other languages often found in training data
    "ar": ("Arabic", "阿拉伯语"),
    "bn": ("Bengali", "孟加拉语"),
    "ca": ("Catalan", "加泰罗尼亚语"),
    "cy": ("Welsh", "威尔士语"),
    "eu": ("Basque", "巴斯克语"),
    "fa": ("Persian", "波斯语"),
    "gl": ("Galician", "加利西亚语"),
    "he": ("Hebrew", "希伯来语"),
    "hi": ("Hindi", "印地语"),
    "id": ("Indonesian", "印度尼西亚语"),
    "is": ("Icelandic", "冰岛语"),
    "ja": ("Japanese", "日语"),
    "ko": ("Korean", "韩语"),
    "lb": ("Luxembourgish", "卢森堡语"),
    "mk": ("Macedonian", "马其顿语"),
    "ms": ("Malay", "马来语"),
    "no": ("Norwegian", "挪威语"),
    "nb": ("Norwegian Bokmål", "书面挪威语"),
    "nn": ("Norwegian Nynorsk", "新挪威语"),
    "ru": ("Russian", "俄语"),
    "sq": ("Albanian", "阿尔巴尼亚语"),
    "sr": ("Serbian", "塞尔维亚语"),
    "sw": ("Swahili", "斯瓦希里语"),
    "ta": ("Tamil", "泰米尔语"),
    "th": ("Thai", "泰语"),
    "tr": ("Turkish", "土耳其语"),
    "uk": ("Ukrainian", "乌克兰语"),
    "ur": ("Urdu", "乌尔都语"),
    "vi": ("Vietnamese", "越南语"),
    "zh": ("Chinese", "中文"),
}


def primary(tag: str) -> str:
    """``en-GB`` -> ``en``; ``zh_Hans`` -> ``zh``."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def language_name(tag: str) -> Bilingual:
    """The language's name, with the rest of the tag (script, region) in parentheses; the tag if unknown."""
    names = _NAMES.get(primary(tag))
    if names is None:
        return Bilingual(en=tag, zh=tag)
    rest = tag.strip().replace("_", "-").split("-", 1)[1:]
    suffix = f" ({rest[0]})" if rest else ""
    return Bilingual(en=names[0] + suffix, zh=names[1] + suffix)


def is_eu_official(tag: str) -> bool:
    return primary(tag) in EU_OFFICIAL
