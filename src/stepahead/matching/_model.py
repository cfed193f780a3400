"""The engine's vocabulary: participants, parameters and results (spec matching-v1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

MAX_GOALS = 3
MAX_LEVEL = 5
MAX_SPREAD = 10.0  # far above any pair's weight: beyond it every mentor would hold one mentee
# Bounds on the spec's open-ended numbers, so a typo (or a hostile file) cannot make the engine
# allocate per unit of capacity or overflow a database integer: no organisation has a thousand
# grades, and no mentor takes more than a hundred mentees at once.
MAX_GRADE = 1000
MAX_CAPACITY = 100


class Mode(StrEnum):
    PEER = "peer"
    TRADITIONAL = "traditional"
    REVERSE = "reverse"
    OPEN = "open"
    CIRCLES = "circles"

    @property
    def is_mentoring(self) -> bool:
        return self in (Mode.TRADITIONAL, Mode.REVERSE, Mode.OPEN)


class Profile(StrEnum):
    ONE_STEP = "one-step"
    EXPERT = "expert"


class Role(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    BOTH = "both"

    @property
    def mentors(self) -> bool:
        return self in (Role.MENTOR, Role.BOTH)

    @property
    def is_mentored(self) -> bool:
        return self in (Role.MENTEE, Role.BOTH)


def normalise_label(text: str) -> str:
    """Skill, function and language names compare lower-cased, trimmed, inner space collapsed."""
    return " ".join(text.split()).lower()


def as_written(labels: Iterable[str]) -> dict[str, str]:
    """{normalised: as first written} for the labels whose spelling differs from their normal form."""
    spelled: dict[str, str] = {}
    for label in labels:
        tidy = " ".join(label.split())
        normal = tidy.lower()
        if tidy != normal:
            spelled.setdefault(normal, tidy)
    return spelled


@dataclass(frozen=True, slots=True)
class Participant:
    """One person in a matching pool. Labels are expected normalised (see `normalise_label`);
    `Participant.build` normalises for callers that hold raw values."""

    id: str
    grade: int
    name: str = ""
    email: str = ""
    function: str = ""
    manager_id: str = ""
    skills: Mapping[str, int] = field(default_factory=dict)
    goals: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    prefer: frozenset[str] = frozenset()
    role: Role | None = None
    capacity: int = 1
    # Skill and function names as written, where that differs from the normalised form, for the
    # reasons' wording only (spec 1.1); equality and matching ignore it.
    spelled: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        id: str,
        grade: int,
        *,
        name: str = "",
        email: str = "",
        function: str = "",
        manager_id: str = "",
        skills: Mapping[str, int] | None = None,
        goals: tuple[str, ...] | list[str] = (),
        languages: frozenset[str] | set[str] | list[str] = frozenset(),
        exclude: frozenset[str] | set[str] | list[str] = frozenset(),
        prefer: frozenset[str] | set[str] | list[str] = frozenset(),
        role: Role | str | None = None,
        capacity: int = 1,
    ) -> Participant:
        """Normalise labels and de-duplicate goals (repeated goals keep their first place)."""
        unique_goals = tuple(dict.fromkeys(normalise_label(g) for g in goals if g.strip()))
        written = [function, *(skills or {}), *goals]
        return cls(
            id=id.strip(),
            grade=grade,
            name=name,
            email=email,
            function=normalise_label(function),
            manager_id=manager_id.strip(),
            skills={normalise_label(k): v for k, v in (skills or {}).items()},
            goals=unique_goals,
            languages=frozenset(normalise_label(x) for x in languages if x.strip()),
            exclude=frozenset(x.strip() for x in exclude if x.strip()),
            prefer=frozenset(x.strip() for x in prefer if x.strip()),
            role=Role(role) if role is not None else None,
            capacity=capacity,
            spelled=as_written(written),
        )

    def level(self, skill: str) -> int:
        return self.skills.get(skill, 0)


@dataclass(frozen=True, slots=True)
class MatchParams:
    """Every number the spec documents as a default, overridable per programme."""

    mode: Mode = Mode.PEER
    band: int = 1
    profile: Profile = Profile.ONE_STEP
    circle_size: int = 4
    circle_band: int = 2
    cross_function_bonus: float = 0.25
    wish_bonus: float = 0.5
    spread: float = 0.2  # mentoring: a mentor's k-th mentee costs spread · (k − 1) (spec 1.1)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.band < 0:
            raise ValueError("band must be 0 or more")
        if not 3 <= self.circle_size <= 5:
            raise ValueError("circle_size must be between 3 and 5")
        if self.circle_band < 0:
            raise ValueError("circle_band must be 0 or more")
        if not 0 <= self.spread <= MAX_SPREAD:
            raise ValueError(f"spread must be between 0 and {MAX_SPREAD}")


@dataclass(frozen=True, slots=True)
class Pair:
    """A reciprocal peer pair; `a` < `b` by input order."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MentorMatch:
    mentor: str
    mentee: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Circle:
    members: tuple[str, ...]
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class MentorLoad:
    """How the mentoring is shared among mentors (spec 1.1): idle mentors count as load 0."""

    mentors: int
    used: int
    max: int
    gini: float  # 0: everyone mentors as many; towards 1: a few carry it all
    top10_share: float  # share of the mentees held by the busiest 10 % of mentors


def relative_gap(total: float, bound: float) -> float:
    """How far a result is below its upper bound, as a share of the bound (0 when it meets it)."""
    return max(0.0, (bound - total) / bound) if bound > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Optimality:
    """How sure the engine is of its answer.

    `proven` means the result equals the optimum of the spec's lexicographic objective over all
    eligible pairs. Otherwise `upper_bound` is a valid bound on the objective (the total score;
    in mentoring modes, less the load penalties) among solutions that place as many people, and
    `gap` the relative distance of the result to it. `placed_bound`, where a solver gives one, is
    the most people any solution could place. `stopped`: the caller's budget (`stop()`) ran out
    before the solver could prove its result, which is then its best so far."""

    proven: bool
    upper_bound: float
    gap: float
    method: str
    placed_bound: int | None = None
    stopped: bool = False


@dataclass(frozen=True, slots=True)
class MatchResult:
    mode: Mode
    params: MatchParams
    pairs: tuple[Pair, ...] = ()
    matches: tuple[MentorMatch, ...] = ()
    circles: tuple[Circle, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()
    participants: int = 0
    placed: int = 0
    total_score: float = 0.0
    optimality: Optimality | None = None
    seconds: float = 0.0
    objective: float = 0.0  # what the solver maximised: total_score less load penalties (spec 1.1)
    idle_mentors: tuple[Unmatched, ...] = ()  # mentoring modes: mentors with no mentee, and why
    mentor_load: MentorLoad | None = None  # mentoring modes only
