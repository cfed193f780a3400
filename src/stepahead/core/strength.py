"""Match strength: a 0–100 scale for the engine's scores that a programme manager can read.

A pair's or match's spec weight is mostly the skill exchange: for each of a person's (at most
three) goals, how useful the partner's lead is (1 for one step ahead under the default profile),
weighted 1, 0.7 and 0.4 by priority. So 2.1 is the best exchange one person can receive, and 100
means "every goal met by someone in the best position to help". A circle is scored over all its
members, so its reference is 2.1 per member. Bonuses (different functions, wishes) can lift a
score past the reference; the scale stops at 100 and the raw score stays available (tooltips).
"""

from __future__ import annotations

BEST_EXCHANGE = 1.0 + 0.7 + 0.4  # spec matching-v1: priority weights × the best step utility (1)


def match_strength(score: float | None, *, members: int = 2, circle: bool = False) -> int | None:
    """0–100 for a spec score; None when there is no score (e.g. a proposal not yet scored)."""
    if score is None:
        return None
    reference = BEST_EXCHANGE * (members if circle else 1)
    return max(0, min(100, round(100 * score / reference)))


def strength_words(strength: int | None) -> str:
    """A word for the number, so the scale reads without a legend."""
    if strength is None:
        return "not scored"
    if strength >= 75:
        return "strong"
    if strength >= 45:
        return "good"
    if strength >= 20:
        return "fair"
    return "weak"
