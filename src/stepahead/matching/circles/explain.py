"""Why an unplaced person is unplaced: `_explain.Diagnosis` for peer circles."""

from __future__ import annotations

from .._explain import Diagnosis
from .existence import circle_exists


class CircleDiagnosis(Diagnosis):
    def reason(self, i: int) -> str:
        who, band = self.who(i), self.params.circle_band
        if not self.pop.people[i].goals:
            return self.no_goals(i, "a circle that helps with them")
        span = self.span(i, band)
        near = self.within(i, band)
        if not len(near):
            return f"no one else is {span} (grade {self.pop.grades[i]})"
        companions = self.allowed(i, near)
        if not len(self.ahead_of(i, companions)):
            helpers = self.ahead_of(i, near)
            if not len(helpers):
                return f"no one {span} is ahead of {who} in any of {who}'s goals ({self.goals(i)})"
            return self.blocked(i, helpers, f"people {span} who are ahead of {who}")
        # Existence is enough here, and someone among the first few usually qualifies.
        if not len(self.helped_by(i, companions[:256])) and not len(self.helped_by(i, companions)):
            return f"{who} is not ahead of anyone {span} (who may share a circle) in their goals"
        if len(companions) < 2:
            return f"only {self.names(companions)} can share a circle with {who}, and a circle needs 3 people"
        exists = circle_exists(self.pop, self.params, i)
        if exists is False:
            return (
                f"no valid circle contains {who}: among {len(companions)} possible circle-mates "
                f"({self.names(companions)}) no group of 3 to 5 has everyone giving and receiving "
                f"within a grade spread of {band}"
            )
        if exists:
            return (
                f"{who} could only join a circle by breaking up a better one: every valid circle with "
                f"{who} takes people from circles with better fits (placing more people or scoring more)"
            )
        free = companions[~self.placed[companions]]
        placed = "all" if not len(free) else "all but one" if len(free) == 1 else "most"
        return (
            f"possible circle-mates exist ({len(companions)}: {self.names(companions)}) "
            f"but {placed} were placed in circles with better fits"
        )
