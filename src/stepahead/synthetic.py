"""A realistic synthetic organisation for demos, tests and benchmarks.

Pure and seeded: the same size, seed and options always give the same people; no I/O, no clock.
The standard shape follows a mid-sized commercial company: uneven functions, a grade pyramid, a
manager tree, skills that grow with seniority (except digital ones, where juniors lead), goals
where people are weak, a few languages, and a sprinkling of exclusions and wishes.

Organisations differ, and a target that holds on one shape may not hold on another, so `SHAPES`
names others a real organisation could have: a steep pyramid, grades spread evenly, few skills
(many identical goals and ties), many skills, one function (no cross-function bonus anywhere),
and many languages with exclusions. Benchmarks run every mode over all of them.
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stepahead.matching import Participant, Role

__all__ = [
    "CSV_COLUMNS",
    "FUNCTIONS",
    "GRADES",
    "LOCATIONS",
    "SHAPES",
    "SKILLS",
    "Employee",
    "Location",
    "Shape",
    "generate_employees",
    "generate_organisation",
    "participants_to_csv",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Cast = tuple[list[Role | None], IntArray]  # each person's role and mentoring capacity

GRADES = tuple(range(1, 10))
# Share of headcount by grade 1..9: many juniors, few seniors.
GRADE_SHARES = (0.22, 0.20, 0.17, 0.13, 0.10, 0.08, 0.05, 0.03, 0.02)

# Function, share of headcount, its two specialist skills. Uneven on purpose.
FUNCTIONS: tuple[tuple[str, float, tuple[str, str]], ...] = (
    ("Engineering", 0.20, ("software architecture", "cloud infrastructure")),
    ("Sales", 0.17, ("prospecting", "account management")),
    ("Operations", 0.13, ("process improvement", "supply chain")),
    ("Customer Success", 0.11, ("customer onboarding", "customer retention")),
    ("Finance", 0.08, ("financial modelling", "accounting")),
    ("Marketing", 0.07, ("brand strategy", "content marketing")),
    ("Product", 0.07, ("product discovery", "roadmapping")),
    ("Data", 0.07, ("machine learning", "statistics")),
    ("HR", 0.06, ("recruiting", "employment law")),
    ("Legal", 0.04, ("contract drafting", "compliance")),
)
GENERAL_SKILLS = ("public speaking", "negotiation", "business writing", "data analysis", "project management")
# General skills that mostly come with seniority.
LEADERSHIP_SKILLS = ("stakeholder management", "leadership", "coaching", "strategic thinking", "budgeting")
# Digital skills where juniors are typically ahead of seniors (room for reverse mentoring).
DIGITAL_SKILLS = ("ai tools", "python", "social media", "sql", "automation")
SKILLS: tuple[str, ...] = (
    *GENERAL_SKILLS,
    *LEADERSHIP_SKILLS,
    *DIGITAL_SKILLS,
    *(skill for _, _, own in FUNCTIONS for skill in own),
)
# Where a function is stronger than the company average (level offsets).
FUNCTION_STRENGTHS: dict[str, dict[str, float]] = {
    "Engineering": {"python": 1.5, "sql": 1.0, "automation": 1.0, "ai tools": 0.5},
    "Sales": {"negotiation": 1.3, "public speaking": 1.0, "stakeholder management": 0.6},
    "Operations": {"project management": 1.0, "budgeting": 0.5, "automation": 0.5},
    "Customer Success": {"stakeholder management": 1.0, "public speaking": 0.6, "coaching": 0.4},
    "Finance": {"budgeting": 1.5, "data analysis": 1.0, "sql": 0.3},
    "Marketing": {"social media": 1.5, "business writing": 1.0, "public speaking": 0.5},
    "Product": {"stakeholder management": 1.0, "strategic thinking": 0.8, "data analysis": 0.5},
    "Data": {"data analysis": 1.8, "python": 1.5, "sql": 1.5, "ai tools": 0.8},
    "HR": {"coaching": 1.2, "public speaking": 0.5, "business writing": 0.5},
    "Legal": {"business writing": 1.5, "negotiation": 1.0},
}


# Extra specialisms per function for the many-skills shape (with the two above: five each).
MORE_SPECIALISMS: dict[str, tuple[str, str, str]] = {
    "Engineering": ("testing", "security engineering", "frontend development"),
    "Sales": ("sales forecasting", "pricing", "partnerships"),
    "Operations": ("logistics", "quality management", "facilities"),
    "Customer Success": ("support operations", "service design", "renewals"),
    "Finance": ("treasury", "tax", "financial planning"),
    "Marketing": ("seo", "events", "market research"),
    "Product": ("user research", "product analytics", "pricing strategy"),
    "Data": ("data engineering", "data visualisation", "experimentation"),
    "HR": ("compensation", "learning design", "workforce planning"),
    "Legal": ("litigation", "intellectual property", "privacy law"),
}


@dataclass(frozen=True, slots=True)
class Shape:
    """What kind of organisation to build, beyond its size."""

    name: str
    grade_shares: tuple[float, ...] = GRADE_SHARES  # share of headcount by grade 1..9
    skills: str = "standard"  # "few" (12 general skills), "standard" (35) or "many" (65)
    functions: int = len(FUNCTIONS)  # spread people over the first this many functions
    english: float = 1.0  # scales who also works in English; low values split by language
    exclude_share: float | None = None  # overrides the caller's exclude_share


SHAPES: dict[str, Shape] = {
    shape.name: shape
    for shape in (
        Shape("standard"),
        Shape("steep", grade_shares=(0.40, 0.24, 0.14, 0.08, 0.05, 0.04, 0.02, 0.02, 0.01)),
        Shape("even", grade_shares=(1 / 9,) * 9),
        Shape("few-skills", skills="few"),
        Shape("many-skills", skills="many"),
        Shape("one-function", functions=1),
        Shape("languages", english=0.3, exclude_share=0.05),
    )
}


@dataclass(frozen=True, slots=True)
class Location:
    city: str
    country: str
    language: str  # the local language (ISO 639-1)
    english_share: float  # who also works in English
    names: str  # key into NAMES
    share: float  # of headcount


LOCATIONS = (
    Location("London", "United Kingdom", "en", 1.0, "en", 0.27),
    Location("Manchester", "United Kingdom", "en", 1.0, "en", 0.07),
    Location("New York", "United States", "en", 1.0, "en", 0.10),
    Location("Berlin", "Germany", "de", 0.85, "de", 0.10),
    Location("Paris", "France", "fr", 0.75, "fr", 0.08),
    Location("Madrid", "Spain", "es", 0.75, "es", 0.07),
    Location("Warsaw", "Poland", "pl", 0.85, "pl", 0.08),
    Location("São Paulo", "Brazil", "pt", 0.70, "pt", 0.06),
    Location("Bangalore", "India", "hi", 0.98, "in", 0.12),
    Location("Tokyo", "Japan", "ja", 0.60, "ja", 0.05),
)
# First names, then family names, per naming culture.
NAMES: dict[str, tuple[str, str]] = {
    "en": (
        "Oliver Amelia George Isla Harry Ava Noah Mia Jack Grace Leo Sophie Oscar Emily Arthur Chloe",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Wright Walker Evans Roberts Green Hall",
    ),
    "de": (
        "Lukas Anna Leon Lena Finn Marie Jonas Sophie Paul Laura Felix Hannah Maximilian Julia Elias Lea",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein",
    ),
    "fr": (
        "Gabriel Louise Raphaël Jade Léo Ambre Louis Alice Arthur Emma Jules Rose Adam Chloé Hugo Léa",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre",
    ),
    "es": (
        "Hugo Lucía Martín Sofía Pablo Martina Mateo María Daniel Julia Alejandro Paula Álvaro Valeria",
        "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Jiménez Ruiz Díaz",
    ),
    "pl": (
        "Antoni Zuzanna Jan Julia Aleksander Zofia Franciszek Hanna Jakub Maja Szymon Lena Mikołaj",
        "Nowak Kowalczyk Wójcik Mazur Krawczyk Zając Król Wróbel Wieczorek Jabłoński Pawlak Michalak",
    ),
    "pt": (
        "Miguel Helena Arthur Alice Gael Laura Heitor Maria Theo Valentina Davi Heloísa Gabriel Cecília",
        "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins",
    ),
    "in": (
        "Aarav Ananya Vivaan Diya Aditya Saanvi Arjun Aadhya Sai Kiara Reyansh Ira Krishna Myra Ishaan",
        "Sharma Verma Gupta Iyer Reddy Nair Rao Singh Kumar Patel Menon Joshi Desai Mehta Pillai Bose",
    ),
    "ja": (
        "Haruto Yui Sota Hina Yuto Mei Riku Sakura Hinata Aoi Minato Rin Ren Yuna Itsuki Mio Kaito",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada",
    ),
}
GOAL_COUNT_SHARES = (0.15, 0.30, 0.55)  # people with 1, 2, 3 goals
NO_LANGUAGES_SHARE = 0.02  # HR records where nobody filled in languages
CROSS_FUNCTION_MANAGER_SHARE = 0.10
RECIPROCATED_WISH_SHARE = 0.3

CSV_HEADER = "id,name,email,function,grade,manager_id,skills,goals,languages,exclude,prefer,role,capacity"
CSV_COLUMNS = tuple(CSV_HEADER.split(","))


@dataclass(frozen=True, slots=True)
class Employee:
    """A generated person: the matching participant plus directory facts the matching ignores."""

    participant: Participant
    city: str
    country: str


@dataclass(frozen=True, slots=True)
class _Workforce:
    """The organisation as arrays, one row per person, before it becomes Participants."""

    function: IntArray
    grade: IntArray
    location: IntArray
    levels: npt.NDArray[np.int8]  # (n, len(SKILLS))
    goals: list[list[int]]
    manager: IntArray  # -1: no manager
    languages: list[list[str]]
    exclude: dict[int, set[int]]
    prefer: dict[int, set[int]]


def generate_organisation(
    size: int,
    *,
    seed: int = 0,
    roles: bool = False,
    mentor_share: float = 0.2,
    both_share: float = 0.1,
    exclude_share: float = 0.01,
    prefer_share: float = 0.01,
    domain: str = "example.com",
    shape: Shape | str = "standard",
) -> list[Participant]:
    """`size` participants of one synthetic organisation, deterministic for `seed`.

    With `roles`, a `mentor_share` of people (mostly senior) mentor, and `both_share` of those
    also want a mentor themselves; everyone else is a mentee. `shape` is a `Shape` or the name of
    one in `SHAPES`."""
    staff = generate_employees(
        size,
        seed=seed,
        roles=roles,
        mentor_share=mentor_share,
        both_share=both_share,
        exclude_share=exclude_share,
        prefer_share=prefer_share,
        domain=domain,
        shape=shape,
    )
    return [e.participant for e in staff]


def generate_employees(
    size: int,
    *,
    seed: int = 0,
    roles: bool = False,
    mentor_share: float = 0.2,
    both_share: float = 0.1,
    exclude_share: float = 0.01,
    prefer_share: float = 0.01,
    domain: str = "example.com",
    shape: Shape | str = "standard",
) -> list[Employee]:
    """Like `generate_organisation`, keeping each person's city and country (for the demo)."""
    if size < 0:
        raise ValueError("size must be 0 or more")
    if not 0.0 <= mentor_share <= 1.0 or not 0.0 <= both_share <= 1.0:
        raise ValueError("mentor_share and both_share must be between 0 and 1")
    shape = _shape(shape)
    taxonomy = _taxonomy(shape.skills)
    if shape.exclude_share is not None:
        exclude_share = shape.exclude_share
    # Roles draw from their own stream, so the same seed gives the same people with or without roles.
    people_rng, roles_rng = np.random.default_rng(seed).spawn(2)
    staff = _workforce(people_rng, size, shape, taxonomy, (exclude_share, prefer_share))
    names, emails = _names_and_emails(people_rng, staff.location, domain)
    cast = _roles(roles_rng, staff.grade, mentor_share, both_share) if roles else _no_roles(size)
    return _employees(staff, cast, names, emails, taxonomy.skills)


def _shape(shape: Shape | str) -> Shape:
    if isinstance(shape, Shape):
        if len(shape.grade_shares) != len(GRADES) or not 1 <= shape.functions <= len(FUNCTIONS):
            raise ValueError(f"shape {shape.name!r}: nine grade shares and 1-{len(FUNCTIONS)} functions")
        return shape
    try:
        return SHAPES[shape]
    except KeyError:
        raise ValueError(f"unknown shape {shape!r}; choose one of {', '.join(SHAPES)}") from None


def _workforce(
    rng: np.random.Generator,
    size: int,
    shape: Shape,
    taxonomy: _Taxonomy,
    shares: tuple[float, float],  # exclude, prefer
) -> _Workforce:
    functions = FUNCTIONS[: shape.functions]
    function = rng.choice(len(functions), size=size, p=_shares([f[1] for f in functions]))
    grade = rng.choice(np.array(GRADES), size=size, p=_shares(shape.grade_shares))
    location = rng.choice(len(LOCATIONS), size=size, p=_shares([loc.share for loc in LOCATIONS]))
    levels = _skill_levels(rng, taxonomy, function, grade)
    return _Workforce(
        function=function,
        grade=grade,
        location=location,
        levels=levels,
        goals=_goals(rng, function, levels, _goal_relevance(taxonomy)),
        manager=_managers(rng, function, grade),
        languages=_languages(rng, location, grade, shape.english),
        exclude=_exclusions(rng, function, grade, shares[0]),
        prefer=_wishes(rng, grade, shares[1]),
    )


def _shares(weights: Iterable[float]) -> FloatArray:
    w = np.asarray(list(weights), dtype=np.float64)
    return w / w.sum()


# --- skills and goals ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Taxonomy:
    """The skills of one shape: shared skills first (columns below `shared`), then specialisms."""

    skills: tuple[str, ...]
    shared: int
    own: tuple[tuple[int, ...], ...]  # per function: the columns of its own specialisms


@functools.cache
def _taxonomy(kind: str) -> _Taxonomy:
    if kind == "few":
        few = (*GENERAL_SKILLS, *LEADERSHIP_SKILLS, "python", "sql")
        return _Taxonomy(few, len(few), tuple(() for _ in FUNCTIONS))
    if kind not in ("standard", "many"):
        raise ValueError(f"unknown skills breadth {kind!r}: few, standard or many")
    shared = len(SKILLS) - 2 * len(FUNCTIONS)
    own = [[shared + 2 * f, shared + 2 * f + 1] for f in range(len(FUNCTIONS))]
    skills = list(SKILLS)  # the standard taxonomy is a prefix of the larger one
    if kind == "many":
        for f, (name, _, _) in enumerate(FUNCTIONS):
            own[f] += range(len(skills), len(skills) + 3)
            skills += MORE_SPECIALISMS[name]
    return _Taxonomy(tuple(skills), shared, tuple(tuple(cols) for cols in own))


def _level_model(taxonomy: _Taxonomy) -> tuple[FloatArray, FloatArray]:
    """(intercept, slope per grade above 1), each (functions × skills): the expected level."""
    intercept = np.zeros((len(FUNCTIONS), len(taxonomy.skills)))
    slope = np.zeros_like(intercept)
    column = {s: c for c, s in enumerate(taxonomy.skills)}
    groups = ((GENERAL_SKILLS, 0.8, 0.3), (LEADERSHIP_SKILLS, 0.2, 0.45), (DIGITAL_SKILLS, 2.4, -0.3))
    for f, (name, _, _) in enumerate(FUNCTIONS):
        for group, base, rise in groups:
            for c in (column[s] for s in group if s in column):
                intercept[f, c], slope[f, c] = base, rise
        # Someone else's specialism: mostly none, now and then a little.
        intercept[f, taxonomy.shared :] = -1.2
        for c in taxonomy.own[f]:
            intercept[f, c], slope[f, c] = 1.2, 0.4
        for s, offset in FUNCTION_STRENGTHS[name].items():
            if s in column:
                intercept[f, column[s]] += offset
    return intercept, slope


def _skill_levels(
    rng: np.random.Generator, taxonomy: _Taxonomy, function: IntArray, grade: IntArray
) -> npt.NDArray[np.int8]:
    intercept, slope = _level_model(taxonomy)
    expected = intercept[function] + slope[function] * (grade - 1)[:, None]
    talent = rng.normal(0.0, 0.4, size=(len(grade), 1))  # some people are strong across the board
    noise = rng.normal(0.0, 0.9, size=expected.shape)
    levels = np.clip(np.rint(expected + talent + noise), 0, 5).astype(np.int8)
    # Profiles are incomplete: a fifth of the non-specialist skills were never filled in.
    blank = rng.random((len(grade), taxonomy.shared)) < 0.2
    levels[:, : taxonomy.shared][blank] = 0
    return levels


def _goal_relevance(taxonomy: _Taxonomy) -> FloatArray:
    """How much people in each function care to grow each skill (functions × skills)."""
    relevance = np.ones((len(FUNCTIONS), len(taxonomy.skills)))
    relevance[:, taxonomy.shared :] = 0.1
    for f, own in enumerate(taxonomy.own):
        relevance[f, list(own)] = 1.6
    return relevance


def _goals(
    rng: np.random.Generator, function: IntArray, levels: npt.NDArray[np.int8], relevance: FloatArray
) -> list[list[int]]:
    """1-3 goals per person, in priority order, drawn towards relevant skills they are weak in."""
    room = (5 - levels.astype(np.float64)) ** 2  # nothing to grow at level 5
    weight = relevance[function] * room
    with np.errstate(divide="ignore"):
        # Gumbel top-k: sampling without replacement in proportion to weight, for all rows at once.
        keys = np.log(weight) + rng.gumbel(size=weight.shape)
    ranked = np.argsort(-keys, axis=1)[:, :3]
    count = rng.choice(np.arange(1, 4), size=len(function), p=_shares(GOAL_COUNT_SHARES))
    finite = np.isfinite(np.take_along_axis(keys, ranked, axis=1))
    return [
        [int(s) for s, ok in zip(row[:k], fin[:k], strict=True) if ok]
        for row, fin, k in zip(ranked.tolist(), finite.tolist(), count.tolist(), strict=True)
    ]


# --- structure: managers, exclusions, wishes, roles, languages ------------------------------


def _pick_in_ranges(rng: np.random.Generator, order: IntArray, start: IntArray, stop: IntArray) -> IntArray:
    """A random person from order[start:stop] for each row, or -1 where the range is empty."""
    count = stop - start
    offset = np.floor(rng.random(len(start)) * np.maximum(count, 1)).astype(np.int64)
    return np.where(count > 0, order[np.minimum(start + offset, len(order) - 1)], -1)


def _ranges(keys: IntArray, low: IntArray, high: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Sort people by key; the index range of people whose key is in [low, high) for each row."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    return order, np.searchsorted(ordered, low), np.searchsorted(ordered, high)


def _team_key(function: IntArray, grade: IntArray) -> IntArray:
    return function * 16 + grade  # grades stay below 16, so a grade range never spills over


def _managers(rng: np.random.Generator, function: IntArray, grade: IntArray) -> IntArray:
    """Someone one or two grades up, mostly in the same function; the most senior have nobody."""
    if len(grade) == 0:
        return np.zeros(0, dtype=np.int64)
    team = _team_key(function, grade)
    same = _pick_in_ranges(rng, *_ranges(team, team + 1, team + 3))
    anywhere = _pick_in_ranges(rng, *_ranges(grade, grade + 1, grade + 3))
    crosses = rng.random(len(grade)) < CROSS_FUNCTION_MANAGER_SHARE
    return np.where((same < 0) | crosses, anywhere, same)


def _exclusions(
    rng: np.random.Generator, function: IntArray, grade: IntArray, share: float
) -> dict[int, set[int]]:
    """A few people exclude a colleague close by (same function, similar grade): where friction is."""
    if len(grade) == 0:
        return {}
    team = _team_key(function, grade)
    target = _pick_in_ranges(rng, *_ranges(team, team - 1, team + 2))
    chosen = np.flatnonzero((rng.random(len(grade)) < share) & (target >= 0))
    return _links(chosen, target[chosen])


def _wishes(rng: np.random.Generator, grade: IntArray, share: float) -> dict[int, set[int]]:
    """A few people name a peer within a grade they would like; some wishes are mutual."""
    if len(grade) == 0:
        return {}
    target = _pick_in_ranges(rng, *_ranges(grade, grade - 1, grade + 2))
    chosen = np.flatnonzero((rng.random(len(grade)) < share) & (target >= 0))
    mutual = chosen[rng.random(len(chosen)) < RECIPROCATED_WISH_SHARE]
    who = np.concatenate([chosen, target[mutual]])
    whom = np.concatenate([target[chosen], mutual])
    return _links(who, whom)


def _links(who: IntArray, whom: IntArray) -> dict[int, set[int]]:
    links: dict[int, set[int]] = {}
    for i, j in zip(who.tolist(), whom.tolist(), strict=True):
        if i != j:
            links.setdefault(i, set()).add(j)
    return links


def _roles(rng: np.random.Generator, grade: IntArray, mentor_share: float, both_share: float) -> Cast:
    """Mentors are drawn mostly from the senior grades; capacity 1-3, more for seniors."""
    n = len(grade)
    keys = 0.35 * grade + rng.gumbel(size=n)
    mentors = np.argsort(-keys)[: round(mentor_share * n)]
    role = np.zeros(n, dtype=np.int8)  # 0 mentee, 1 mentor, 2 both
    role[mentors] = np.where(rng.random(len(mentors)) < both_share, 2, 1)
    capacity = 1 + rng.binomial(2, 0.1 + 0.05 * grade)
    names = (Role.MENTEE, Role.MENTOR, Role.BOTH)
    return [names[r] for r in role.tolist()], np.where(role > 0, capacity, 1)


def _no_roles(size: int) -> Cast:
    return [None] * size, np.ones(size, dtype=np.int64)


def _languages(
    rng: np.random.Generator, location: IntArray, grade: IntArray, english_scale: float
) -> list[list[str]]:
    """Everyone speaks the local language; most also English (more so with seniority)."""
    english_share = english_scale * np.array([loc.english_share for loc in LOCATIONS])[location]
    english = rng.random(len(location)) < np.minimum(english_share + 0.02 * (grade - 1), 1.0)
    unknown = rng.random(len(location)) < NO_LANGUAGES_SHARE
    spoken = []
    for loc, en, blank in zip(location.tolist(), english.tolist(), unknown.tolist(), strict=True):
        local = LOCATIONS[loc].language
        spoken.append([] if blank else list(dict.fromkeys([local, "en"] if en else [local])))
    return spoken


# --- names, e-mails and participants ---------------------------------------------------------


def _names_and_emails(
    rng: np.random.Generator, location: IntArray, domain: str
) -> tuple[list[str], list[str]]:
    """Names from the local naming culture; e-mail handles numbered when a name repeats."""
    first_draw = rng.random(len(location)).tolist()
    last_draw = rng.random(len(location)).tolist()
    names: list[str] = []
    emails: list[str] = []
    taken: dict[str, int] = {}
    for loc, u, v in zip(location.tolist(), first_draw, last_draw, strict=True):
        firsts, lasts = _NAME_PARTS[LOCATIONS[loc].names]
        first, last = firsts[int(u * len(firsts))], lasts[int(v * len(lasts))]
        handle = f"{_ascii(first)}.{_ascii(last)}"
        taken[handle] = taken.get(handle, 0) + 1
        suffix = str(taken[handle]) if taken[handle] > 1 else ""
        names.append(f"{first} {last}")
        emails.append(f"{handle}{suffix}@{domain}")
    return names, emails


_NAME_PARTS = {culture: (firsts.split(), lasts.split()) for culture, (firsts, lasts) in NAMES.items()}
_NOT_DECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss"})


@functools.cache
def _ascii(text: str) -> str:
    """An e-mail-safe lower-case form of a name: accents dropped (José → jose)."""
    plain = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSABLE))
    return plain.encode("ascii", "ignore").decode("ascii").lower()


def _employees(
    staff: _Workforce, cast: Cast, names: list[str], emails: list[str], taxonomy: tuple[str, ...]
) -> list[Employee]:
    ids = _ids(len(names))
    skills = _skill_profiles(staff.levels, taxonomy)
    role, capacities = cast
    rows = zip(staff.function.tolist(), staff.grade.tolist(), staff.manager.tolist(), strict=True)
    people = []
    for i, (function, grade, manager) in enumerate(rows):
        participant = Participant.build(
            ids[i],
            grade,
            name=names[i],
            email=emails[i],
            function=FUNCTIONS[function][0],
            manager_id=ids[manager] if manager >= 0 else "",
            skills=skills[i],
            goals=[taxonomy[s] for s in staff.goals[i]],
            languages=staff.languages[i],
            exclude=[ids[j] for j in sorted(staff.exclude.get(i, ()))],
            prefer=[ids[j] for j in sorted(staff.prefer.get(i, ()))],
            role=role[i],
            capacity=int(capacities[i]),
        )
        place = LOCATIONS[int(staff.location[i])]
        people.append(Employee(participant, place.city, place.country))
    return people


def _ids(size: int) -> list[str]:
    """E0001, E0002, ... padded so ids sort in generation order."""
    width = max(4, len(str(size)))
    return [f"E{i + 1:0{width}d}" for i in range(size)]


def _skill_profiles(levels: npt.NDArray[np.int8], taxonomy: tuple[str, ...]) -> list[dict[str, int]]:
    """Each person's listed skills (level above 0), in taxonomy order."""
    profiles: list[dict[str, int]] = [{} for _ in range(len(levels))]
    rows, cols = np.nonzero(levels)
    for i, s, level in zip(rows.tolist(), cols.tolist(), levels[rows, cols].tolist(), strict=True):
        profiles[i][taxonomy[s]] = level
    return profiles


# --- CSV ----------------------------------------------------------------------------------------


def participants_to_csv(people: Iterable[Participant]) -> str:
    """The spec's participants file (header row, `; `-separated lists), as one string."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(p) for p in people)
    return out.getvalue()


def _csv_row(p: Participant) -> tuple[str, ...]:
    mentors = p.role is not None and p.role.mentors
    return (
        p.id,
        p.name,
        p.email,
        p.spelled.get(p.function, p.function),  # as an HR file writes it ("Sales"); imports keep it
        str(p.grade),
        p.manager_id,
        "; ".join(f"{skill}:{level}" for skill, level in p.skills.items()),
        "; ".join(p.goals),
        "; ".join(sorted(p.languages)),
        "; ".join(sorted(p.exclude)),
        "; ".join(sorted(p.prefer)),
        p.role.value if p.role is not None else "",
        str(p.capacity) if mentors else "",
    )
