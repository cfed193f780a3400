"""`stepahead match`: match a participants file from the command line, for HR analysts.

    stepahead match people.csv --mode peer -o pairs.json

The input format comes from the file's extension (or `--input-format`); the output is JSON unless
`--format csv` or an `-o` name ending in `.csv` asks for CSV. Without `-o` the result goes to
standard output. A file with problems prints every problem to stderr, exits 2 and writes nothing.
Progress (when a run takes over a second) and a short summary go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal, cast

from rich.console import Console

from stepahead.matching import (
    MatchParams,
    MatchResult,
    Mode,
    Participant,
    ParticipantFileError,
    PoolError,
    Profile,
    match,
    parse_participants,
    result_to_csv,
    result_to_json,
)

from ._command import Subcommand, UserError
from ._display import ProgressDisplay, summary_table

FileFormat = Literal["csv", "json"]
_FORMATS: tuple[FileFormat, ...] = ("csv", "json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("people", metavar="PEOPLE", help="participants file, .csv or .json ('-' reads stdin)")
    parser.add_argument(
        "--mode", choices=[m.value for m in Mode], default=Mode.PEER.value, help="default: peer"
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write the result here instead of stdout")
    parser.add_argument(
        "--format", choices=_FORMATS, help="result format (default: json, or csv for -o *.csv)"
    )
    parser.add_argument(
        "--input-format", choices=_FORMATS, help="read PEOPLE as this (default: its extension)"
    )
    defaults = MatchParams()
    parser.add_argument(
        "--band",
        type=_at_least(0),
        default=defaults.band,
        metavar="N",
        help=f"peer mode: largest grade difference in a pair (default {defaults.band})",
    )
    parser.add_argument(
        "--circle-size",
        type=int,
        choices=(3, 4, 5),
        default=defaults.circle_size,
        metavar="N",
        help=f"circles: preferred size, 3 to 5 (default {defaults.circle_size})",
    )
    parser.add_argument(
        "--circle-band",
        type=_at_least(0),
        default=defaults.circle_band,
        metavar="N",
        help=f"circles: largest grade spread (default {defaults.circle_band})",
    )
    parser.add_argument(
        "--spread",
        type=_spread,
        default=defaults.spread,
        metavar="X",
        help=(
            "mentoring: share mentees across mentors; a mentor's k-th mentee costs X·(k−1) "
            f"(default {defaults.spread}, 0 turns it off)"
        ),
    )
    parser.add_argument(
        "--profile",
        choices=[p.value for p in Profile],
        default=defaults.profile.value,
        help="how much being ahead is worth by gap (default one-step)",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed, metavar="N", help="tie-breaking seed")
    parser.add_argument(
        "--time-limit",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="stop after about this long with the best result so far and its distance from the "
        "best possible (default: no limit, the result is proven optimal however long that takes; "
        "peer pairs: seconds at 10k people, about a minute at 20k; at 100k far longer, so give a "
        "limit there)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary on stderr")


def run(args: argparse.Namespace) -> int:
    mode = Mode(args.mode)
    if args.people == "-":
        file_format = _input_format(args)  # before waiting on stdin
    data = _read_input(args.people)  # a missing file is a clearer message than its extension
    file_format = _input_format(args)
    if args.output is not None:
        _check_writable(Path(args.output))  # before the run, not after minutes of matching
    source = "stdin" if args.people == "-" else args.people
    people = _parse(data, file_format, mode, source)
    if people is None:
        return 2
    params = MatchParams(
        mode=mode,
        band=args.band,
        profile=Profile(args.profile),
        circle_size=args.circle_size,
        circle_band=args.circle_band,
        spread=args.spread,
        seed=args.seed,
    )
    errors = Console(stderr=True)
    display = ProgressDisplay(errors, enabled=not args.quiet and errors.is_terminal)
    result = _timed_match(people, params, display, args.time_limit)
    _write(_render(result, _output_format(args)), args.output)
    if not args.quiet:
        errors.print(summary_table(result, people))
    return 0


SUBCOMMAND = Subcommand(
    name="match",
    help="match a participants file (CSV or JSON) and write pairs, matches or circles",
    description=(
        "Match a participants file (CSV or JSON) under the StepAhead matching model and write the "
        "pairs, mentor matches or circles, with reasons and the unmatched, as JSON or CSV."
    ),
    configure=configure,
    run=run,
)


def _spread(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    try:
        MatchParams(spread=value)  # the engine's own bounds, in its own words
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _at_least(low: int) -> Callable[[str], int]:
    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more, not {value}")
        return value

    return whole_number


def _input_format(args: argparse.Namespace) -> FileFormat:
    if args.input_format:
        return cast(FileFormat, args.input_format)
    suffix = Path(args.people).suffix.lower().lstrip(".")
    if suffix in _FORMATS:
        return suffix
    if args.people == "-":
        raise UserError("reading stdin needs --input-format csv or --input-format json")
    raise UserError(f"cannot tell the format of {args.people}: name it .csv or .json, or use --input-format")


def _output_format(args: argparse.Namespace) -> FileFormat:
    if args.format:
        return cast(FileFormat, args.format)
    return "csv" if args.output and Path(args.output).suffix.lower() == ".csv" else "json"


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory, not a participants file") from None
    except PermissionError:
        raise UserError(f"{path}: permission denied") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror or error})") from None


def _check_writable(output: Path) -> None:
    folder = output.parent
    if output.is_dir():
        raise UserError(f"{output}: is a directory; give a file name for -o")
    if not folder.is_dir():
        raise UserError(f"{output}: the folder {folder} does not exist")
    if not os.access(output if output.exists() else folder, os.W_OK):
        raise UserError(f"{output}: permission denied")


def _parse(data: bytes, file_format: FileFormat, mode: Mode, source: str) -> list[Participant] | None:
    """The participants, or None after printing every problem of the file to stderr."""
    try:
        return parse_participants(data, file_format=file_format, mode=mode)
    except ParticipantFileError as error:
        for problem in error.problems:
            print(f"{source}: {problem}", file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count > 1 else ''} in {source}; nothing was matched", file=sys.stderr)
        return None


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return seconds


def _timed_match(
    people: list[Participant], params: MatchParams, display: ProgressDisplay, time_limit: float | None = None
) -> MatchResult:
    """Match, timing it here: the engine has no clock, so the CLI fills in `stats.seconds` and
    turns a time limit into the engine's stop()."""
    started = time.perf_counter()

    def out_of_time() -> bool:
        return time_limit is not None and time.perf_counter() - started > time_limit

    try:
        with display:
            result = match(people, params, progress=display, stop=out_of_time)
    except PoolError as error:
        raise UserError(str(error)) from None
    return replace(result, seconds=time.perf_counter() - started)


def _render(result: MatchResult, file_format: FileFormat) -> str:
    return result_to_csv(result) if file_format == "csv" else result_to_json(result)


def _write(text: str, output: str | None) -> None:
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. `stepahead match ... | head`: the reader has all it wants
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error again at exit
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except IsADirectoryError:
        raise UserError(f"{output}: is a directory; give a file name for -o") from None
    except FileNotFoundError:
        raise UserError(f"{output}: its folder does not exist") from None
    except PermissionError:
        raise UserError(f"{output}: permission denied") from None
    except OSError as error:
        raise UserError(f"{output}: cannot be written ({error.strerror or error})") from None
