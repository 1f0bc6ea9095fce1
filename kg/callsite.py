"""Warnings said at the line of the caller's code that asked, however deep in kg they arise.

A fixed ``stacklevel`` counts frames, and so breaks when a helper or a wrapper
(:func:`kg.keywords.checks_keywords`) stands between: the warning then names a
line of kg's.  :func:`warn_at_caller` names the first frame outside the package.
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn_at_caller"]


def warn_at_caller(message: str) -> None:
    """Warn (a ``UserWarning``) at the line of the caller's code: the first frame outside kg.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     warn_at_caller("nothing in that period")
    >>> said[0].filename.endswith("kg/callsite.py"), str(said[0].message)
    (False, 'nothing in that period')
    """
    package = os.path.dirname(os.path.abspath(__file__))
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, stacklevel=level)
