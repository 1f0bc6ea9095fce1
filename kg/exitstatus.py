"""The ``kg`` command's exit statuses, and the one each error of kg's ends it with.

0: done, without error-level diagnostics; 1: a build with them (or, with
``--strict``, with warnings); 2: a usage error or an environment that does not
allow the work, which every :class:`~kg.errors.KgError` is today (:data:`EXIT_STATUS`
maps the classes, README's table lists them); 70 (``EX_SOFTWARE`` of sysexits.h): a
bug of kg's, after its traceback; then the shell's 128 + N of a
program that signal N ended: Ctrl-C, SIGTERM, a reader gone away (SIGPIPE).
:mod:`kg.cli` returns them.
"""

from __future__ import annotations

from kg.errors import KgError

__all__ = ["EXIT_OK", "EXIT_DIAGNOSTICS", "EXIT_USAGE", "EXIT_BUG", "EXIT_INTERRUPTED", "EXIT_TERMINATED",
           "EXIT_BROKEN_PIPE", "EXIT_STATUS", "exit_status"]

EXIT_OK, EXIT_DIAGNOSTICS, EXIT_USAGE = 0, 1, 2
#: A bug of kg's (an exception not of :class:`~kg.errors.KgError`): not 1, Python's own status for an
#: uncaught exception, which a script would take for a build with error diagnostics.
EXIT_BUG = 70
EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_BROKEN_PIPE = 128 + 2, 128 + 15, 128 + 13

#: our exceptions -> exit status; the nearest class in an error's MRO decides (README's table)
EXIT_STATUS: dict[type[KgError], int] = {
    KgError: EXIT_USAGE,  # a usage error, or an environment that does not allow the work
}


def exit_status(err: BaseException) -> int:
    """The exit status of an error of ours: its nearest class in :data:`EXIT_STATUS`.

    Examples
    --------
    >>> from kg.errors import OutputLockedError, ViewError
    >>> exit_status(ViewError("no such kind")), exit_status(OutputLockedError("busy"))
    (2, 2)
    """
    for cls in type(err).__mro__:
        status = EXIT_STATUS.get(cls)
        if status is not None:
            return status
    raise TypeError(f"not an error of kg: {err!r}")  # a bug: main() passes only KgError here
