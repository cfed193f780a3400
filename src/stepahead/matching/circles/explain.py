"""Why an unplaced person is unplaced: `_explain.Diagnosis` for peer circles."""

from __future__ import annotations

from .._explain import Diagnosis


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
        free = companions[~self.placed[companions]]
        if len(free) >= 2:
            return (
                f"possible circle-mates are also unplaced ({self.names(free)}), but no valid circle "
                f"(everyone giving and receiving, grade spread at most {band}) can be formed with them"
            )
        placed = "all" if not len(free) else "all but one"
        return (
            f"possible circle-mates exist ({len(companions)}: {self.names(companions)}) "
            f"but {placed} were placed in circles with better fits"
        )
