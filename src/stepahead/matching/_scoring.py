"""Spec scoring, one pair at a time: the readable reference the vectorised code is tested against."""

from __future__ import annotations

from ._model import MatchParams, Mode, Participant, Profile

PRIORITY_WEIGHTS: tuple[float, ...] = (1.0, 0.7, 0.4)

# Step utility u(g) for g = 0..5; a gap <= 0 gives nothing.
STEP_UTILITY: dict[Profile, tuple[float, ...]] = {
    Profile.ONE_STEP: (0.0, 1.0, 0.8, 0.5, 0.25, 0.25),
    Profile.EXPERT: (0.0, 0.4, 0.8, 1.0, 1.0, 0.9),
}


def step_utility(gap: int, profile: Profile) -> float:
    return STEP_UTILITY[profile][gap] if gap > 0 else 0.0


def value_given(giver: Participant, receiver: Participant, profile: Profile) -> float:
    """v(A→B): what the giver offers in the receiver's goals, weighted by goal priority."""
    return sum(
        PRIORITY_WEIGHTS[i] * step_utility(giver.level(goal) - receiver.level(goal), profile)
        for i, goal in enumerate(receiver.goals)
    )


def cross_function_bonus(a: Participant, b: Participant, params: MatchParams) -> float:
    return params.cross_function_bonus if a.function and b.function and a.function != b.function else 0.0


def wish_bonus(a: Participant, b: Participant, params: MatchParams) -> float:
    return params.wish_bonus * ((b.id in a.prefer) + (a.id in b.prefer))


def hard_rules_allow(a: Participant, b: Participant) -> bool:
    """Rules no score can override: distinct people, no line manager, no exclusion, a shared language."""
    if a.id == b.id or a.manager_id == b.id or b.manager_id == a.id:
        return False
    if b.id in a.exclude or a.id in b.exclude:
        return False
    return not (a.languages and b.languages and not a.languages & b.languages)


def peer_weight(a: Participant, b: Participant, params: MatchParams) -> float | None:
    """Weight of a reciprocal peer pair, or None when the pair is not eligible."""
    if not hard_rules_allow(a, b) or abs(a.grade - b.grade) > params.band:
        return None
    give, take = value_given(a, b, params.profile), value_given(b, a, params.profile)
    if give <= 0 or take <= 0:
        return None
    balance = 2 * give * take / (give + take)
    return balance + cross_function_bonus(a, b, params) + wish_bonus(a, b, params)


def mentoring_weight(mentor: Participant, mentee: Participant, params: MatchParams) -> float | None:
    """Weight of mentor → mentee in the traditional, reverse and open modes, or None if ineligible."""
    if not hard_rules_allow(mentor, mentee):
        return None
    if params.mode is Mode.TRADITIONAL and not mentor.grade > mentee.grade:
        return None
    if params.mode is Mode.REVERSE and not mentor.grade < mentee.grade:
        return None
    value = value_given(mentor, mentee, params.profile)
    if value <= 0:
        return None
    return value + cross_function_bonus(mentor, mentee, params) + wish_bonus(mentor, mentee, params)


def circle_score(members: list[Participant], params: MatchParams) -> float:
    """Spec circle score: each member's goals met by the best other member, plus diversity and wishes."""
    total = 0.0
    for m in members:
        for i, goal in enumerate(m.goals):
            best = max(
                step_utility(o.level(goal) - m.level(goal), params.profile) for o in members if o is not m
            )
            total += PRIORITY_WEIGHTS[i] * best
    functions = {m.function for m in members if m.function}
    total += params.cross_function_bonus * max(len(functions) - 1, 0)
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            total += wish_bonus(a, b, params)
    return total


def circle_is_valid(members: list[Participant], params: MatchParams) -> bool:
    """Size, hard rules on every pair, grade spread, and everyone both gives and receives."""
    if not 3 <= len(members) <= 5:
        return False
    grades = [m.grade for m in members]
    if max(grades) - min(grades) > params.circle_band:
        return False
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if not hard_rules_allow(a, b):
                return False
    for m in members:
        others = [o for o in members if o is not m]
        gives = any(value_given(m, o, params.profile) > 0 for o in others)
        receives = any(value_given(o, m, params.profile) > 0 for o in others)
        if not (gives and receives):
            return False
    return True
