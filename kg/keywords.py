"""Refusing a keyword that a public function does not take, with the one the caller likely meant.

Python's own ``TypeError`` names the keyword and the function it reached, which may be one the
caller never called (``sparql() got an unexpected keyword argument 'max_row'`` from
``kg.sparql_query``); these say it in the words of the function called.

Examples
--------
>>> @checks_keywords
... def timeline(graph, context, *, freq="W"): ...
>>> timeline(None, "Iran", frq="M")
Traceback (most recent call last):
kg.errors.ArgumentTypeError: kg.timeline takes no option 'frq' (did you mean 'freq'?); its options: context, freq
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from kg.arguments import did_you_mean

__all__ = ["check_options", "checks_keywords", "checks_keywords_as"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def check_options(caller: str, target: Callable[..., Any], options: dict[str, Any], *, skip: int = 2) -> None:
    """Refuse a keyword that ``target`` (past its first ``skip`` parameters) does not take, in ``caller``'s words.

    A misspelt option otherwise reaches a function the caller never called, as a ``TypeError``
    that names it (``explore() got an unexpected keyword argument 'foucs'``).

    >>> def explore(graph, path, focus=None, depth=1): ...
    >>> check_options("kg.to_html", explore, {"foucs": "Iran"})
    Traceback (most recent call last):
    kg.errors.ArgumentTypeError: kg.to_html takes no option 'foucs' (did you mean 'focus'?); its options: focus, depth
    """
    import inspect

    from kg.errors import ArgumentTypeError

    parameters = list(inspect.signature(target).parameters.values())[skip:]
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return
    known = [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    for name in options:
        if name not in known:
            raise ArgumentTypeError(f"{caller} takes no option {name!r}{did_you_mean(name, known)}; its options: "
                                    f"{', '.join(known) or 'none'}")


def checks_keywords(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function``, refusing a keyword it does not take as :func:`check_options` does: with the one it likely meant.

    Python's own ``TypeError`` names the keyword only.  The function keeps its name, docstring
    and signature (``help()``, ``inspect.signature`` and doctest read them through the wrapper).

    >>> @checks_keywords
    ... def events(graph, context=None, *, n=None): ...
    >>> events(None, contxt="Iran")
    Traceback (most recent call last):
    kg.errors.ArgumentTypeError: kg.events takes no option 'contxt' (did you mean 'context'?); its options: context, n
    """
    return _checked(function, f"kg.{function.__name__}")


def checks_keywords_as(name: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """:func:`checks_keywords` for a function that ``kg`` offers under another ``name``.

    >>> @checks_keywords_as("kg.sparql_query")
    ... def sparql(graph, query, *, timeout=None): ...
    >>> sparql(None, "ASK {}", timout=3)
    Traceback (most recent call last):
    kg.errors.ArgumentTypeError: kg.sparql_query takes no option 'timout' (did you mean 'timeout'?); its options: ...
    """
    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        return _checked(function, name)

    return decorate


def _checked(function: Callable[_P, _R], caller: str) -> Callable[_P, _R]:
    import functools

    # Read from the signature at the first call with keywords, not at import; None: it takes **kwargs.
    read = False
    known: frozenset[str] | None = None

    @functools.wraps(function)
    def checked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        nonlocal read, known
        if kwargs:
            if not read:
                known, read = _keywords(function), True
            if known is not None and not known.issuperset(kwargs):  # (the first parameter is no option)
                check_options(caller, function, kwargs, skip=1)
        return function(*args, **kwargs)

    return checked


def _keywords(function: Callable[..., Any]) -> frozenset[str] | None:
    """The keywords ``function`` takes; ``None`` if it takes any (``**kwargs``)."""
    import inspect

    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return None
    return frozenset(p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
