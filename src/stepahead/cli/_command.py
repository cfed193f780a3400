"""What a `stepahead` subcommand is, and the one error type that ends a command politely."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Subcommand:
    """One `stepahead NAME ...` command.

    `configure` adds the command's arguments to its parser; `run` does the work and returns the
    exit status. Import heavy dependencies (Django, for instance) inside `run`, not at module
    level, so that every other command stays quick to start."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str = ""


class UserError(Exception):
    """A problem the user can fix (a missing file, a bad option): one line on stderr, exit 2,
    never a traceback."""

    exit_status = 2
