"""Text helpers: normalisation, language detection and chunking for the embedders.

Everything here is deterministic and model independent. Language detection is a
cheap script/stop-word heuristic: good enough to pick the language-bias
correction for a text whose language was not declared.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[a-zäöüßàâçéèêëîïôûùœæñ]+", re.IGNORECASE)

_STOPWORDS = {
    "de": set(
        "der die das und ist nicht wir für mit von den dem ein eine einen auf zu im sich "
        "auch unsere unser sind wird werden oder bei aus nach suchen bieten".split()
    ),
    "en": set(
        "the and is are we for with of to in a an our on as by from this that be "
        "looking offer seek seeking".split()
    ),
    "fr": set(
        "le la les et est nous pour avec des du un une de en dans sur notre nos sont "
        "cherchons proposons".split()
    ),
    "es": set("el la los las y es nosotros para con de del un una en por nuestra buscamos".split()),
    "it": set("il lo la gli le e è noi per con di del un una in nostra cerchiamo".split()),
    "nl": set("de het een en is wij voor met van op in onze zijn zoeken bieden".split()),
}


def normalise_text(text: str | None) -> str:
    """Return ``text`` in Unicode NFC with whitespace runs collapsed and ends stripped."""
    if not text:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def detect_language(text: str | None) -> str:
    """Guess the ISO 639-1 code of ``text``; ``"und"`` when nothing can be said.

    Chinese, Japanese and Korean are told apart by script (kana and hangul win
    over Han characters); Latin-script languages by stop-word counts.
    """
    if not text:
        return "und"
    han = kana = hangul = latin = 0
    for ch in text:
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            han += 1
        elif 0x3040 <= o <= 0x30FF:
            kana += 1
        elif 0xAC00 <= o <= 0xD7AF:
            hangul += 1
        elif ch.isalpha() and o < 0x250:
            latin += 1
    if kana >= 3 and kana * 5 >= han:
        return "ja"
    if hangul >= 3:
        return "ko"
    if han and han * 2 >= latin / 4:
        return "zh"
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return "und"
    best, best_hits = "und", 0
    for lang, stop in _STOPWORDS.items():
        hits = sum(1 for w in words if w in stop)
        if hits > best_hits:
            best, best_hits = lang, hits
    if best == "und" and latin:
        return "en" if not re.search("[äöüß]", text.lower()) else "de"
    return best


def is_cjk_heavy(text: str) -> bool:
    """True when at least a quarter of the characters are CJK (about one token each)."""
    if not text:
        return False
    cjk = sum(1 for ch in text if 0x3000 <= ord(ch) <= 0x9FFF or 0xAC00 <= ord(ch) <= 0xD7AF)
    return cjk * 4 >= len(text)


_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;\n])\s*")


def chunk_text(text: str, max_chars: int, max_chunks: int) -> list[str]:
    """Split ``text`` into at most ``max_chunks`` pieces of at most ``max_chars`` characters.

    Cuts fall on sentence ends where possible; a sentence longer than the budget
    is cut hard. Only the beginning of a very long text is kept (the opening
    usually says what is offered or sought). An empty text gives ``[""]``.
    """
    text = normalise_text(text)
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > max_chars:
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if sentence:
            pieces.append(sentence)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + 1 + len(piece) > max_chars:
            chunks.append(current)
            if len(chunks) == max_chunks:
                return chunks
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current and len(chunks) < max_chunks:
        chunks.append(current)
    return chunks
