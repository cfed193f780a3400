"""Why people were left unmatched, grouped into what a programme manager can do about it.

The engine gives every unplaced person a sentence (stepahead.matching's diagnoses); this module
sorts those sentences into a few kinds, each with the fix that usually helps, and, for people
nobody can help, names the goals they share ("12 people want sql and nobody within 1 grade is
ahead in it"). `run_alert` decides whether a run left enough people out to warn about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Cause(StrEnum):
    DECLINED = "declined"
    NO_GOALS = "no_goals"
    NO_ROLE = "no_role"
    NOBODY_NEAR = "nobody_near"
    NOBODY_AHEAD = "nobody_ahead"
    LANGUAGE = "language"
    EXCLUDED = "excluded"
    GIVES_NOTHING = "gives_nothing"
    CAPACITY = "capacity"
    NO_CIRCLE = "no_circle"
    BETTER_FITS = "better_fits"
    OTHER = "other"


# First match wins: the order mirrors the diagnoses', most specific first.
_PATTERNS: tuple[tuple[Cause, re.Pattern[str]], ...] = tuple(
    (cause, re.compile(pattern, re.IGNORECASE))
    for cause, pattern in (
        (Cause.DECLINED, r"\bdeclined\b"),
        (Cause.NO_GOALS, r"has no goals listed"),
        (Cause.NO_ROLE, r"has no role"),
        (Cause.NOBODY_NEAR, r"^no one else is |^no mentor is |^there are no other mentors"),
        (Cause.NOBODY_AHEAD, r"^no (one|mentor)\b.* is ahead of .* goals"),
        (Cause.LANGUAGE, r"do not share a language"),
        (Cause.EXCLUDED, r"excluded|reporting line"),
        (Cause.GIVES_NOTHING, r"is not ahead of any"),
        (Cause.CAPACITY, r"capacity 0|places went to|mentors with room"),
        (Cause.NO_CIRCLE, r"^no valid circle contains|only .* can share a circle"),
        (Cause.BETTER_FITS, r"better fits|equally good fits|manual pairing is possible|breaking up a better"),
    )
)

FIXES: dict[Cause, str] = {
    Cause.DECLINED: "Pair them by hand with someone else, or run matching again.",
    Cause.NO_GOALS: "Ask them to add up to three skills they want to grow, or add goals for them.",
    Cause.NO_ROLE: "Set their role (mentor, mentee or both) on their enrolment.",
    Cause.NOBODY_NEAR: "Widen the grade band in the settings, or try open mentoring.",
    Cause.NOBODY_AHEAD: "Consider traditional mentoring or a circle, or invite people who are ahead "
    "in these skills.",
    Cause.LANGUAGE: "Check the languages they and others listed.",
    Cause.EXCLUDED: "Review who they asked not to be matched with.",
    Cause.GIVES_NOTHING: "Peer pairs need both people to teach something: consider mentoring or a "
    "circle, or ask them to add skills they are good at.",
    Cause.CAPACITY: "Recruit more mentors, or raise mentor capacity.",
    Cause.NO_CIRCLE: "No circle of 3 to 5 works for them as things stand: widen the circle grade "
    "band, or offer them a peer pair or a mentor instead.",
    Cause.BETTER_FITS: "Pair them by hand (they are shown as unplaced on the proposals page).",
    Cause.OTHER: "Look at each person's reason below.",
}

# Each kind as said of one person and of several ("1 has nobody…", "12 have nobody…").
TITLES: dict[Cause, tuple[str, str]] = {
    Cause.DECLINED: ("declined a match", "declined a match"),
    Cause.NO_GOALS: ("listed no goals", "listed no goals"),
    Cause.NO_ROLE: ("has no role", "have no role"),
    Cause.NOBODY_NEAR: ("has nobody close enough in grade", "have nobody close enough in grade"),
    Cause.NOBODY_AHEAD: (
        "wants skills nobody eligible is ahead in",
        "want skills nobody eligible is ahead in",
    ),
    Cause.LANGUAGE: (
        "shares no language with those who could help",
        "share no language with those who could help",
    ),
    Cause.EXCLUDED: (
        "excluded everyone who could help (or reports to them)",
        "excluded everyone who could help (or report to them)",
    ),
    Cause.GIVES_NOTHING: (
        "is not ahead of anyone in what they want to learn",
        "are not ahead of anyone in what they want to learn",
    ),
    Cause.CAPACITY: ("is waiting for a mentor with room", "are waiting for a mentor with room"),
    Cause.NO_CIRCLE: ("fits in no valid circle", "fit in no valid circle"),
    Cause.BETTER_FITS: (
        "lost their possible partners to better fits",
        "lost their possible partners to better fits",
    ),
    Cause.OTHER: ("is unmatched for other reasons", "are unmatched for other reasons"),
}


def title_of(cause: Cause, people: int) -> str:
    one, several = TITLES[cause]
    return one if people == 1 else several


ALERT_SHARE = 0.2  # warn when a fifth or more of the pool is left unmatched
ALERT_MIN_PEOPLE = 3
_GOALS = re.compile(r"goals \((?P<goals>[^)]*)\)\s*$")
_SPAN = re.compile(r"(within \d+ grades?|at the same grade)")


def cause_of(reason: str) -> Cause:
    for cause, pattern in _PATTERNS:
        if pattern.search(reason):
            return cause
    return Cause.OTHER


@dataclass(frozen=True, slots=True)
class CauseCount:
    cause: Cause
    people: int
    title: str
    fix: str
    detail: str = ""  # e.g. "12 want sql, 4 want excel"


@dataclass(frozen=True, slots=True)
class RunAlert:
    unmatched: int
    pool: int
    causes: tuple[CauseCount, ...]  # most people first

    @property
    def share(self) -> float:
        return self.unmatched / self.pool if self.pool else 0.0


def causes(reasons: Iterable[str], *, top: int = 3) -> tuple[CauseCount, ...]:
    """The most common kinds among the reasons, with their fixes (`top` kinds at most)."""
    reasons = list(reasons)
    counted = Counter(cause_of(r) for r in reasons)
    found = []
    for cause, people in counted.most_common(top):
        detail = _wanted(reasons) if cause is Cause.NOBODY_AHEAD else ""
        found.append(CauseCount(cause, people, title_of(cause, people), FIXES[cause], detail))
    return tuple(found)


def _wanted(reasons: Sequence[str]) -> str:
    """ "12 want sql and nobody within 1 grade is ahead in it; 4 want excel" from the sentences."""
    goals: Counter[str] = Counter()
    spans: dict[str, str] = {}
    for reason in reasons:
        if cause_of(reason) is not Cause.NOBODY_AHEAD:
            continue
        found = _GOALS.search(reason)
        span = _SPAN.search(reason)
        for goal in (g.strip() for g in found["goals"].split(",")) if found else ():
            goals[goal] += 1
            if span:
                spans.setdefault(goal, span[1])
    parts = []
    for goal, people in goals.most_common(3):
        who = "1 person wants" if people == 1 else f"{people} people want"
        where = f" {spans[goal]}" if goal in spans else ""
        parts.append(f"{who} {goal} and nobody{where} is ahead in it")
    return "; ".join(parts)


def run_alert(reasons: Sequence[str], *, pool: int, unmatched: int | None = None) -> RunAlert | None:
    """An alert when the run left a large share of its pool unmatched, else None. `unmatched`
    is the run's count by core.placement (the same the run page shows); by default, the reasons."""
    unmatched = len(reasons) if unmatched is None else unmatched
    if unmatched < ALERT_MIN_PEOPLE or not pool or unmatched / pool < ALERT_SHARE:
        return None
    return RunAlert(unmatched=unmatched, pool=pool, causes=causes(reasons))


# What the unmatched person is told (issue 11): the cause in their own terms, never the engine's
# sentence itself, which can name other people, a decliner's words or a reporting line.
_PLAIN: dict[Cause, str] = {
    Cause.DECLINED: "Your last match did not go ahead, and there was no new match for you in this round.",
    Cause.NO_GOALS: "Your enrolment lists no skills you want to grow, so we could not look for "
    "someone to help you with them.",
    Cause.NO_ROLE: "Your enrolment does not say whether you want to mentor, be mentored or both.",
    Cause.NOBODY_NEAR: "Nobody else taking part this time was close enough to you in grade.",
    Cause.NOBODY_AHEAD: "Nobody taking part this time is ahead of you in the skills you want to grow",
    Cause.LANGUAGE: "The people who could help you do not share a language with you.",
    Cause.EXCLUDED: "The people who could help you are ones you asked not to be matched with, or "
    "are in your reporting line.",
    Cause.GIVES_NOTHING: "Peer pairs need each person to be ahead of the other in something they "
    "want to learn, and nobody taking part this time wants to learn what you are ahead in.",
    Cause.CAPACITY: "The mentors who could help you had no room left this time.",
    Cause.NO_CIRCLE: "We could not form a circle that works for you with the people taking part.",
    Cause.BETTER_FITS: "The people who could have been your partners were each a closer fit for "
    "someone else.",
    Cause.OTHER: "We could not find a match that met the programme's rules this time.",
}


def in_plain_words(reason: str) -> str:
    """Why someone was not matched, addressed to them, naming nobody else: the kind of reason,
    plus their own goals when those are the obstacle ("… in the skills you want to grow: sql")."""
    cause = cause_of(reason)
    words = _PLAIN[cause]
    if cause is not Cause.NOBODY_AHEAD:
        return words
    goals = _GOALS.search(reason)
    return f"{words}: {goals['goals']}." if goals else f"{words}."


# A mentor left without a mentee, told the same way (the engine's idle-mentor sentences,
# stepahead.matching.mentoring.explain, name the mentees concerned).
_IDLE_MENTOR: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), words)
    for pattern, words in (
        (r"capacity 0", "Your enrolment says you can take 0 mentees, so nobody could be matched with you."),
        (
            r"^no mentee is |^there are no mentees",
            "No mentee taking part this time is at a grade this programme pairs with you.",
        ),
        (r"goals are among", "No mentee taking part this time wants to grow in the skills you are ahead in."),
        (
            r"are excluded",
            "The mentees you could help asked not to be matched with you, are in your reporting line, "
            "or share no language with you.",
        ),
        (r"fit them better", "The mentees you could help were each a closer fit for another mentor."),
    )
)


def idle_mentor_in_plain_words(reason: str) -> str:
    """Why a mentor got no mentee, addressed to them, naming nobody else."""
    for pattern, words in _IDLE_MENTOR:
        if pattern.search(reason):
            return words
    return "No mentee was matched with you this time within the programme's rules."
