"""The `stepahead` command line (console script `stepahead = "stepahead.cli:main"`).

Subcommands live in SUBCOMMANDS below. To add one, e.g. `stepahead demo`, write a module in this
package that defines `SUBCOMMAND = Subcommand(name="demo", help=..., configure=..., run=...)`
(see `_command.Subcommand`) and append it to the tuple; `main` builds the parser from it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import demo, match
from ._command import Subcommand, UserError

__all__ = ["SUBCOMMANDS", "Subcommand", "UserError", "build_parser", "main"]

# The hook for new commands: one entry per subcommand, in the order `stepahead --help` lists them.
SUBCOMMANDS: tuple[Subcommand, ...] = (match.SUBCOMMAND, demo.SUBCOMMAND)


def build_parser(subcommands: Sequence[Subcommand] = SUBCOMMANDS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stepahead", description="StepAhead: mentoring programmes where everyone is one step ahead."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in subcommands:
        sub = commands.add_parser(
            command.name, help=command.help, description=command.description or command.help
        )
        command.configure(sub)
        sub.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status: 0 done, 2 a problem the user can fix."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse has printed usage or help already
        return stop.code if isinstance(stop.code, int) else 2
    try:
        status: int = args.run(args)
    except UserError as error:
        print(f"stepahead {args.command}: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print(f"stepahead {args.command}: interrupted; nothing was written", file=sys.stderr)
        return 130
    return status
