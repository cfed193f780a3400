"""Writes for a partnership's life, gathered in one place for callers (views, demo, tasks).

Agreements and goals live in `agreements`, sessions in `sessions`, the end in `closure`.
"""

from .agreements import (
    GoalDraft,
    Terms,
    confirm_agreement,
    draft_agreement,
    next_facilitator,
    reflect_on_goal,
    revise_agreement,
    template_for,
    update_agreement_template,
)
from .closure import end_early, reflect_and_close
from .sessions import (
    SessionLog,
    Slot,
    cancel_session,
    log_session,
    move_session,
    schedule_session,
    write_note,
)

__all__ = [
    "GoalDraft",
    "SessionLog",
    "Slot",
    "Terms",
    "cancel_session",
    "confirm_agreement",
    "draft_agreement",
    "end_early",
    "log_session",
    "move_session",
    "next_facilitator",
    "reflect_and_close",
    "reflect_on_goal",
    "revise_agreement",
    "schedule_session",
    "template_for",
    "update_agreement_template",
    "write_note",
]
