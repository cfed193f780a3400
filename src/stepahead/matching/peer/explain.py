"""Why an unplaced peer is unplaced: `_explain.Diagnosis` for peer pairs."""

from __future__ import annotations

import numpy as np

from .._explain import TIE, Diagnosis, count_of
from .._population import IntArray, bonuses, values_given


class PeerDiagnosis(Diagnosis):
    def reason(self, i: int) -> str:
        who, band = self.who(i), self.params.band
        if not self.pop.people[i].goals:
            return self.no_goals(i, "a peer who is ahead in them")
        span = self.span(i, band)
        near = self.within(i, band)
        if not len(near):
            return f"no one else is {span} (grade {self.pop.grades[i]})"
        helpers = self.ahead_of(i, near)
        if not len(helpers):
            return f"no one {span} is ahead of {who} in any of {who}'s goals ({self.goals(i)})"
        # Cheapest filters first; the rule that failed is worked out only when nobody is left.
        eligible = self.allowed(i, self.helped_by(i, helpers))
        if not len(eligible):
            allowed = self.allowed(i, helpers)
            if not len(allowed):
                return self.blocked(i, helpers, f"peers {span} who are ahead of {who}")
            return (
                f"{count_of(len(allowed), 'peer')} {span} could help {who} ({self.names(allowed)}), "
                f"but {who} is not ahead of any of them in their goals"
            )
        free = eligible[~self.placed[eligible]]
        if len(free):
            return f"eligible peers are also unmatched ({self.names(free)}): a manual pairing is possible"
        found = f"{len(eligible)}: {self.names(eligible)}"
        return f"eligible peers exist ({found}) but were all placed with {self.fits(self.ties(i, eligible))}"

    def ties(self, i: int, js: IntArray) -> np.ndarray:
        """Which of js would score as much with i as with the partner they have."""
        me = np.full(len(js), i, dtype=np.int64)
        given, received = values_given(self.pop, me, js), values_given(self.pop, js, me)
        mean = 2 * given * received / np.maximum(given + received, 1e-300)
        with_i = mean + bonuses(self.pop, me, js, self.params)
        tied: np.ndarray = with_i >= self.group_score[js] - TIE
        return tied
