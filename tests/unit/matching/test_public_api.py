"""The engine's public surface is a contract: adding or removing a name is a deliberate change."""

import stepahead.matching as engine

EXPECTED = {
    "Circle",
    "FileProblem",
    "MatchParams",
    "MatchResult",
    "MentorLoad",
    "MentorMatch",
    "Mode",
    "Optimality",
    "PARTICIPANT_COLUMNS",
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
}


def test_public_names_are_pinned() -> None:
    assert set(engine.__all__) == EXPECTED


def test_every_public_name_exists() -> None:
    missing = [name for name in engine.__all__ if not hasattr(engine, name)]
    assert missing == []


def test_engine_imports_no_django() -> None:
    import subprocess
    import sys

    code = "import sys, stepahead.matching; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
