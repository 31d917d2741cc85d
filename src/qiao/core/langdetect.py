"""A small, dependency-free language guesser for cooperation profiles.

Qiao only needs to tell apart the languages its profiles are written in:
Chinese, German and English (plus a cheap guess for Japanese and Korean, so
that those are not mistaken for Chinese). The method:

1. Count script classes among the letters: CJK ideographs, kana, hangul,
   Latin. If kana make up a visible share, the text is Japanese; hangul,
   Korean; if ideographs make up at least ``CJK_SHARE`` of the letters,
   Chinese.
2. Otherwise count German and English function words (words that occur in
   nearly every sentence and rarely in the other language); each word with an
   umlaut or ß also counts for German. The language with the clearly higher
   score wins, provided its score is not negligible for the text's length.
3. Anything else (too short, mixed, another language) gives ``None``:
   "unsure" is better than a wrong guess, callers then fall back to the
   organisation's working language.
"""

from __future__ import annotations

import re

__all__ = ["detect_language", "CJK_SHARE"]

#: Share of ideographs among letters from which a text counts as Chinese.
CJK_SHARE = 0.3
#: The winner's score must be at least this many times the loser's.
_DOMINANCE = 2.0
#: For longer texts the winner's score must reach this share of the words.
_MIN_DENSITY = 0.08

_WORD_RE = re.compile(r"[a-zäöüß]+")

_GERMAN = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines und oder aber ist sind
    nicht mit für von zu zum zur auf im vom beim ins sich bei aus wir sie es auch
    werden wird wurde wie nach über unter durch unsere unser unseren unserer ihre
    ihr ihren als noch nur kann können sowie dass diese dieser dieses zwischen mehr
    neue neuen hat haben bis um suchen sucht gesucht bieten bietet eines seit sehr
    wenn jedoch daher gibt gmbh ag mbh
    """.split()
)

_ENGLISH = frozenset(
    """
    the and of to for with on at by from we our you your this that these those which
    who is are was were be been being has have had not or as a it its into their
    they can would should such than there other what when where while about
    looking seeking offer offers ltd inc company
    """.split()
)


def _is_ideograph(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FFFF
    )


def _script_counts(text: str) -> tuple[int, int, int, int]:
    """Return (ideographs, kana, hangul, other letters) counts."""
    ideographs = kana = hangul = other = 0
    for char in text:
        code = ord(char)
        if _is_ideograph(code):
            ideographs += 1
        elif 0x3040 <= code <= 0x30FF:
            kana += 1
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
            hangul += 1
        elif char.isalpha():
            other += 1
    return ideographs, kana, hangul, other


def detect_language(text: str | None) -> str | None:
    """Guess the ISO 639-1 language of ``text``: ``"zh"``, ``"de"``, ``"en"`` or None.

    Also returns ``"ja"`` or ``"ko"`` for text in kana or hangul. Returns None
    when the text is empty or the guess would be unreliable.
    """
    if not text:
        return None
    ideographs, kana, hangul, other = _script_counts(text)
    letters = ideographs + kana + hangul + other
    if letters == 0:
        return None
    if kana >= 2 and kana >= 0.1 * letters:
        return "ja"
    if hangul >= 2 and hangul >= CJK_SHARE * letters:
        return "ko"
    if ideographs >= 2 and ideographs >= CJK_SHARE * letters:
        return "zh"
    words = _WORD_RE.findall(text.lower())
    if not words:
        return None
    german = english = 0.0
    for word in words:
        if word in _GERMAN:
            german += 1
        elif any(char in word for char in "äöüß"):
            german += 1
        if word in _ENGLISH:
            english += 1
    return _decide(german, english, len(words))


def _decide(german: float, english: float, word_count: int) -> str | None:
    """Pick the language with a clear lead, or None when unsure."""
    best, best_score, other_score = (
        ("de", german, english) if german >= english else ("en", english, german)
    )
    if best_score < 1 or best_score < _DOMINANCE * other_score:
        return None
    if word_count >= 20 and best_score < _MIN_DENSITY * word_count:
        return None
    return best
