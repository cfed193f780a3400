"""Skill levels in words, so nobody has to guess what "3" means."""

from __future__ import annotations

LEVEL_WORDS: dict[int, str] = {
    0: "Not yet",
    1: "Learning",
    2: "Getting there",
    3: "Comfortable",
    4: "Can teach",
    5: "Expert",
}


def level_words(level: int) -> str:
    """ "3 · Comfortable" (the number stays: people compare it with others' levels)."""
    return f"{level} · {LEVEL_WORDS.get(level, '')}".rstrip(" ·")
