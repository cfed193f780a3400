"""stepahead.matching — the pure matching engine (spec matching-v1).

No Django, no I/O, no clock: give it participants and parameters, get a `MatchResult`.
Everything public is listed in `__all__` and pinned by a test; underscore modules are private.
"""

from ._engine import PoolError, match
from ._explain import explain_group
from ._model import (
    Circle,
    MatchParams,
    MatchResult,
    MentorLoad,
    MentorMatch,
    Mode,
    Optimality,
    Pair,
    Participant,
    Profile,
    Role,
    Unmatched,
    normalise_label,
)
from ._output import result_to_csv, result_to_dict, result_to_json
from ._parse import (
    PARTICIPANT_COLUMNS,
    FileProblem,
    ParticipantFileError,
    parse_participants,
    participant_from_row,
    participants_from_rows,
)
from ._scoring import (
    circle_is_valid,
    circle_score,
    hard_rules_allow,
    mentoring_weight,
    peer_weight,
    value_given,
)
from ._solution import Progress

__all__ = [
    "PARTICIPANT_COLUMNS",
    "Circle",
    "FileProblem",
    "MatchParams",
    "MatchResult",
    "MentorLoad",
    "MentorMatch",
    "Mode",
    "Optimality",
    "Pair",
    "Participant",
    "ParticipantFileError",
    "PoolError",
    "Profile",
    "Progress",
    "Role",
    "Unmatched",
    "circle_is_valid",
    "circle_score",
    "explain_group",
    "hard_rules_allow",
    "match",
    "mentoring_weight",
    "normalise_label",
    "parse_participants",
    "participant_from_row",
    "participants_from_rows",
    "peer_weight",
    "result_to_csv",
    "result_to_dict",
    "result_to_json",
    "value_given",
]
