"""What the ``kg`` command line takes: its parser and the types of its options.

Each bad value is said in one line that names the option, with exit status 2
(``kg: error: argument --jobs: must be 1 or more, not 0``), and a misspelt
command or choice gets a guess.

Examples
--------
>>> at_least(1)("3"), in_range(0, 2)("2"), seconds("1.5"), day("2015-09-01")
(3, 2, 1.5, datetime.date(2015, 9, 1))
>>> at_least(1)("0")
Traceback (most recent call last):
argparse.ArgumentTypeError: must be 1 or more, not 0
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import NoReturn

__all__ = ["Parser", "at_least", "in_range", "seconds", "day"]


class Parser(argparse.ArgumentParser):
    """argparse, with its errors said in one line and misspelt commands guessed at."""

    def error(self, message: str) -> NoReturn:
        import difflib
        import re

        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if wrong:  # (newer Pythons list the choices without quotes)
            choices = re.findall(r"'([^']*)'", wrong[2]) or [c.strip() for c in wrong[2].split(",")]
            near = difflib.get_close_matches(wrong[1], choices, n=3)
            if near:
                what = message.partition(":")[0].removeprefix("argument ")
                message = f"{what}: unknown {wrong[1]!r}; did you mean {' or '.join(repr(n) for n in near)}?"
        self.exit(2, f"kg: error: {message} (see {self.prog} --help)\n")


def at_least(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number, ``least`` or more."""
    def whole_number(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if n < least:
            raise argparse.ArgumentTypeError(f"must be {least} or more, not {n}")
        return n
    return whole_number


def in_range(least: int, most: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``least`` to ``most``."""
    any_number = at_least(-sys.maxsize)

    def whole_number(text: str) -> int:
        n = any_number(text)
        if not least <= n <= most:
            raise argparse.ArgumentTypeError(f"must be {least} to {most}, not {n}")
        return n
    return whole_number


def seconds(text: str) -> float:
    """An argparse type: a number of seconds, 0 or more."""
    try:
        s = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not s >= 0 or s == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return s


def day(text: str) -> dt.date:
    """An argparse type: a day, ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None
