"""Random participant pools for engine tests: small, adversarial on purpose."""

from __future__ import annotations

import random

from stepahead.matching import Participant, Role

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
