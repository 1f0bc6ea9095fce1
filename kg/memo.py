"""Values computed from a graph, remembered beside it rather than inside it.

A :class:`~kg.model.KnowledgeGraph` is a plain frozen value: it holds no
hidden cache.  What is costly to derive from one (its SPARQL store, its rows
for the analyst questions) is kept here, in a table keyed by the graph's
identity, and dropped when the graph is garbage-collected.  Two equal graphs
that are different objects each get their own entries: a memo never has to
compare graphs, which would cost more than what it saves.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["GraphMemo"]

T = TypeVar("T")


class GraphMemo(Generic[T]):
    """A value of type ``T`` per live object, computed once.

    Examples
    --------
    >>> class Thing:
    ...     pass
    >>> memo: GraphMemo[int] = GraphMemo("demo")
    >>> a = Thing()
    >>> calls = []
    >>> memo.get(a, lambda: calls.append(1) or 42), memo.get(a, lambda: 0), len(calls)
    (42, 42, 1)
    >>> memo.peek(Thing()) is None
    True
    >>> del a
    >>> len(memo)
    0
    """

    __slots__ = ("_values", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._values: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"GraphMemo({self.name!r}, {len(self._values)} live)"

    def peek(self, owner: object) -> T | None:
        """The value kept for ``owner``, or ``None``."""
        return self._values.get(id(owner))

    def put(self, owner: object, value: T) -> T:
        """Keep ``value`` for ``owner`` until ``owner`` is collected; return it."""
        key = id(owner)
        if key not in self._values:
            # the id is free for reuse once owner is gone: forget the entry then
            weakref.finalize(owner, self._values.pop, key, None)
        self._values[key] = value
        return value

    def get(self, owner: object, compute: Callable[[], T]) -> T:
        """The value kept for ``owner``, computing and keeping it on first use."""
        value = self.peek(owner)
        return self.put(owner, compute()) if value is None else value
