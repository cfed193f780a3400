"""Reasons addressed to the reader: the engine writes "Ada is one step ahead of Emily in sql";
on Ada's own pages that reads "You are one step ahead of Emily in sql".

The engine's sentences about people have two shapes (see stepahead.matching's explanations):
"<giver> is [one step] ahead of <receiver> in …" and "<asker> asked to be <together> with
<other>". Other reasons (functions, "Both asked …") do not name a person and stay as they are.
"""

from __future__ import annotations

import re

_AHEAD = re.compile(
    r"^(?P<giver>.+?) is (?P<step>one step ahead|ahead) of (?P<receiver>.+?) in (?P<rest>.+)$"
)
_ASKED = re.compile(r"^(?P<asker>.+?) asked to be (?P<together>.+?) with (?P<other>.+)$")


def addressed_to(reason: str, reader: str) -> str:
    """The reason with the reader as "you" (unchanged when it does not name them)."""
    if not reader:
        return reason
    ahead = _AHEAD.match(reason)
    if ahead is not None:
        giver, receiver = ahead["giver"], ahead["receiver"]
        if giver == reader:
            return f"You are {ahead['step']} of {receiver} in {ahead['rest']}"
        if receiver == reader:
            return f"{giver} is {ahead['step']} of you in {ahead['rest']}"
        return reason
    asked = _ASKED.match(reason)
    if asked is not None:
        if asked["asker"] == reader:
            return f"You asked to be {asked['together']} with {asked['other']}"
        if asked["other"] == reader:
            return f"{asked['asker']} asked to be {asked['together']} with you"
    return reason
