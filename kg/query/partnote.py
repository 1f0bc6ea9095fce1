"""What to say of a graph that a query reads where it is not the whole graph it may seem.

A build with ``--engine dask`` writes its graph as shards (:mod:`kg.query.shardset`):
one given alone answers for its part; a folder of them that holds another build's
files too answers with the shards'.  ``kg query`` and ``kg serve`` say so in a note.

Examples
--------
>>> import tempfile
>>> part_note(tempfile.mkdtemp()) is None  # (a folder of no shards: nothing to say)
True
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.distributed.shards import MANIFEST_NAME
from kg.errors import QueryError
from kg.query.loader import graph_files_in
from kg.query.shardset import shard_set, shard_set_of

__all__ = ["part_note"]


def part_note(path: str | os.PathLike[str]) -> str | None:
    """What to say of what a query reads, where it is not the whole graph it may seem: a file that is one
    shard of a set (its answers are a part's), or a folder of shards that holds a whole graph's files too
    (a build on this machine into the same folder: the shards may be an older build's)."""
    where = Path(path)
    found = shard_set_of(where)
    if found is not None and len(found.shards) > 1:
        return (f"{where.name} is one of the {len(found.shards):,} shards of the graph in {found.folder}: "
                f"give the folder to query them all")
    if found is None and where.is_dir():
        try:
            whole = shard_set(where)
        except QueryError:
            return None
        names = {shard.path.name for shard in whole.shards} if whole is not None else set()
        others = [p.name for p in graph_files_in(where) if p.name not in names]
        if others:
            return (f"{where} holds {', '.join(others[:3])} too, from another build: the answer is the shards' "
                    f"that {MANIFEST_NAME} lists, written by a build on Dask; give {others[0]} to query that one")
    return None
