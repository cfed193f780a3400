"""A programme's "How we match" page in plain words, generated from its actual parameters.

Pure: takes the parameters, returns headed paragraphs. The wording follows the engine's rules
(spec matching-v1): one step ahead, grade bands, languages, managers never paired with their
reports, the cross-function and wish bonuses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Parameters:
    mode: str  # peer, circles, traditional, reverse, open
    band: int
    profile: str  # one-step, expert
    circle_size: int
    circle_band: int
    cross_function_bonus: float
    wish_bonus: float
    spread: float
    default_capacity: int
    max_capacity: int


@dataclass(frozen=True, slots=True)
class Part:
    heading: str
    paragraphs: tuple[str, ...]


WHO = {
    "peer": "You are paired with one colleague. Each of you is ahead in something the other wants to "
    "learn, so both of you give and both of you receive.",
    "circles": "You join a small circle of colleagues who meet together. Everyone in the circle is ahead "
    "in something another member wants to learn, so everyone gives and everyone receives.",
    "traditional": "Each mentee is matched with a mentor of a higher grade who is ahead in what the "
    "mentee wants to learn.",
    "reverse": "Each mentee is matched with a mentor of a lower grade who is ahead in what the mentee "
    "wants to learn — for example a newer colleague teaching a senior one a current skill.",
    "open": "Each mentee is matched with a mentor who is ahead in what they want to learn, whatever "
    "either person's grade.",
}


def _grades(p: Parameters) -> str:
    if p.mode == "peer":
        return f"Partners are at most {p.band} grade{'s' if p.band != 1 else ''} apart."
    if p.mode == "circles":
        return (
            f"Circles have {p.circle_size} people (3 to 5 when numbers do not divide evenly), "
            f"at most {p.circle_band} grades apart from the most junior to the most senior."
        )
    if p.mode == "traditional":
        return "Your mentor is more senior than you."
    if p.mode == "reverse":
        return "Your mentor is more junior than you."
    return "Grade does not matter."


def _skills(p: Parameters) -> str:
    if p.profile == "expert":
        return (
            "Skills are rated 0 to 5. The further ahead someone is in a skill you want to learn, the "
            "better they score as your match: experts count most."
        )
    return (
        "Skills are rated 0 to 5. Someone one step ahead of you in a skill scores best — close enough "
        "to remember learning it; two steps ahead still helps, further ahead helps less."
    )


def how_we_match(p: Parameters) -> list[Part]:
    """The page's parts, in the order a participant needs them."""
    bonuses = []
    if p.cross_function_bonus > 0:
        bonuses.append(
            "Matches across different functions get a bonus, so you meet people outside your own team."
        )
    if p.wish_bonus > 0:
        bonuses.append("If you name people you would like to work with, a match with them gets a bonus.")
    capacity: tuple[str, ...] = ()
    if p.mode in ("traditional", "reverse", "open"):
        capacity = (
            f"A mentor takes {p.default_capacity} mentee{'s' if p.default_capacity != 1 else ''} unless "
            f"they choose otherwise (at most {p.max_capacity}).",
        )
        if p.spread > 0:
            capacity += (
                "Mentees are shared across mentors: a mentor's second and later mentees count a "
                "little less, so more people get to mentor instead of a few experts taking everyone. "
                "Nobody loses a place for it.",
            )
    return [
        Part("Who you are matched with", (WHO.get(p.mode, WHO["open"]), _grades(p), *capacity)),
        Part(
            "What counts",
            (
                "Your development goals (up to three, the first counts most) are compared with what "
                "others are ahead in.",
                _skills(p),
                *bonuses,
            ),
        ),
        Part(
            "What is never done",
            (
                "You are never matched with your own manager or someone who reports to you.",
                "If you both list languages, you are only matched when you share one.",
                "You are never matched with someone you asked to avoid.",
            ),
        ),
        Part(
            "Your say",
            (
                "Every match comes with the reasons it was made. You can accept it or decline it; "
                "declining returns you to the pool for the next round, with no fault.",
                "The programme managers review every proposed match before anyone sees it.",
            ),
        ),
    ]
