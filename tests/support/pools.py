"""Random participant pools for engine tests: small, adversarial on purpose."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from stepahead.matching import MatchParams, Participant, Profile, Role
from stepahead.matching._population import Population, compile_population
from stepahead.matching.peer.tables import PairTables

# A peer kernel test's pool: its random stream, size, grade band, skills and expert profile.
PeerCase = tuple[random.Random, int, int, int, bool]

FUNCTIONS = ("", "sales", "finance")
LANGUAGES = ("en", "de", "fr")


def random_pool(
    rng: random.Random,
    size: int,
    *,
    skills: int = 5,
    grades: int = 4,
    roles: bool = False,
    identical: bool = False,
) -> list[Participant]:
    """Pools with managers, exclusions, wishes and language gaps; `identical` clones one person."""
    people: list[Participant] = []
    for i in range(size):
        if identical and people:
            first = people[0]
            people.append(
                Participant.build(
                    f"P{i}",
                    first.grade,
                    skills=dict(first.skills),
                    goals=first.goals,
                    function=first.function,
                    role=first.role,
                    capacity=first.capacity,
                )
            )
            continue
        people.append(_random_person(rng, i, size, skills, grades, roles))
    return people


def _random_person(
    rng: random.Random, i: int, size: int, skills: int, grades: int, roles: bool
) -> Participant:
    levels = {f"s{k}": rng.randint(0, 5) for k in rng.sample(range(skills), rng.randint(0, skills))}
    goals = [f"s{k}" for k in rng.sample(range(skills), rng.randint(0, min(3, skills)))]
    others = [f"P{j}" for j in range(size) if j != i]

    def pick(share: float) -> set[str]:
        return {rng.choice(others)} if others and rng.random() < share else set()

    return Participant.build(
        f"P{i}",
        rng.randint(1, grades),
        function=rng.choice(FUNCTIONS),
        skills=levels,
        goals=goals,
        languages=rng.sample(LANGUAGES, rng.randint(0, 2)),
        manager_id=next(iter(pick(0.2)), ""),
        exclude=pick(0.1),
        prefer=pick(0.2),
        role=rng.choice(list(Role)) if roles else None,
        capacity=rng.randint(0, 3) if roles else 1,
    )


def peer_cases(smallest: int, largest: int) -> st.SearchStrategy[PeerCase]:
    """Pools for the peer kernels' tests, of `smallest` to `largest` people."""
    return st.builds(
        lambda seed, size, band, skills, expert: (random.Random(seed), size, band, skills, expert),
        st.integers(0, 10_000),
        st.integers(smallest, largest),
        st.integers(0, 2),
        st.sampled_from([2, 4, 8]),
        st.booleans(),
    )


def compiled_case(case: PeerCase) -> tuple[Population, MatchParams, PairTables]:
    """The case's pool compiled, with its parameters and pair tables."""
    rng, size, band, skills, expert = case
    params = MatchParams(band=band, profile=Profile.EXPERT if expert else Profile.ONE_STEP)
    pop = compile_population(random_pool(rng, size, skills=skills), params)
    return pop, params, PairTables.of(pop, params)
