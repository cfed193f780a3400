"""The questions a new midpoint or end survey starts with; the programme manager edits them."""

from __future__ import annotations

from typing import NamedTuple

from .models import About, Aspect, QuestionKind, Stage


class Default(NamedTuple):
    kind: str
    about: str
    aspect: str
    text: str
    required: bool = True


_PARTNERSHIP = [
    Default(
        QuestionKind.LIKERT, About.PARTNERSHIP, Aspect.NONE, "Our meetings are worth the time they take."
    ),
    Default(QuestionKind.LIKERT, About.PARTNERSHIP, Aspect.NONE, "I am making progress on my goals."),
]
_PEER = [
    Default(
        QuestionKind.LIKERT, About.PARTNERSHIP, Aspect.GAVE, "I shared what I know in a way that helped."
    ),
    Default(QuestionKind.LIKERT, About.PARTNERSHIP, Aspect.RECEIVED, "I learned something I can use."),
]
_PROGRAMME = [
    Default(
        QuestionKind.NPS,
        About.PROGRAMME,
        Aspect.NONE,
        "How likely are you to recommend this programme to a colleague?",
    ),
    Default(QuestionKind.TEXT, About.PROGRAMME, Aspect.NONE, "What would make the programme better?", False),
]
_END = [
    Default(QuestionKind.LIKERT, About.PARTNERSHIP, Aspect.NONE, "I reached the goals we agreed."),
    Default(QuestionKind.TEXT, About.PARTNERSHIP, Aspect.NONE, "What made the biggest difference?", False),
]


def default_questions(*, stage: str, peer: bool) -> list[Default]:
    """Peer pairs and circles rate both what they gave and what they received."""
    questions = list(_PARTNERSHIP)
    if peer:
        questions += _PEER
    if stage == Stage.END:
        questions += _END
    return questions + _PROGRAMME
