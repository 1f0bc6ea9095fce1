"""The output folder of a build on Dask, read as one graph: the N-Triples shards its manifest lists.

A build with ``--engine dask`` writes its graph as several gzipped N-Triples
shards and a ``manifest.json`` naming them (:mod:`kg.distributed.shards`).
Each shard is a part of the graph, so ``kg query`` and ``kg serve`` read the
folder, every shard of it, and say so of a single shard given alone: its answers
would be a part's.

Examples
--------
>>> import tempfile, pathlib
>>> shard_set(pathlib.Path(tempfile.mkdtemp())) is None  # no manifest: not a set of shards
True
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.distributed.shards import MANIFEST_NAME, read_manifest
from kg.errors import LoadError, QueryError

__all__ = ["Shard", "ShardSet", "shard_set", "shard_set_of", "shard_store"]

_SHARD_NAME = re.compile(r"graph-[0-9]{5,}\.nt\.gz")  # (as kg.distributed.shards.shard_name names them)


@dataclass(frozen=True, slots=True)
class Shard:
    """A shard as the manifest lists it: its file, size in bytes and triples."""

    path: Path
    bytes: int
    triples: int


@dataclass(frozen=True, slots=True)
class ShardSet:
    """A folder's shards, as its manifest lists them."""

    folder: Path
    shards: tuple[Shard, ...]
    #: The triples of all the shards together, as the manifest counts them.
    triples: int
    base_iri: str


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def shard_set(folder: str | os.PathLike[str]) -> ShardSet | None:
    """The shards that ``folder``'s ``manifest.json`` lists; ``None`` where it has none of kg's.

    Raises
    ------
    QueryError
        If the manifest is not one a build on Dask writes (its base IRI one kg would refuse too), or a
        shard it lists is missing or of another size than it says.
    """
    from kg.iri import InvalidBaseIriError, check_base_iri

    where = Path(folder)
    manifest = where / MANIFEST_NAME
    try:
        data = read_manifest(where)
    except LoadError as err:
        raise QueryError(str(err)) from err
    if data is None:  # (none, or another's: not kg's shards)
        return None
    entries = data.get("shards")
    shards = [Shard(where / entry["name"], entry["bytes"], entry["triples"]) for entry in entries
              if isinstance(entry, dict) and isinstance(entry.get("name"), str) and _SHARD_NAME.fullmatch(entry["name"])
              and _count(entry.get("bytes")) is not None and _count(entry.get("triples")) is not None
              ] if isinstance(entries, list) else []
    total = _count(data.get("triples"))
    base = data.get("base_iri")
    if (not isinstance(entries, list) or len(shards) != len(entries) or total is None
            or total != sum(shard.triples for shard in shards) or not isinstance(base, str)):
        raise QueryError(f"{manifest} does not list N-Triples shards as kg build --engine dask writes them")
    try:
        check_base_iri(base)
    except InvalidBaseIriError as err:
        raise QueryError(f"{manifest}: its base IRI: {err}") from err
    missing = [shard.path.name for shard in shards if not shard.path.is_file()]
    if missing:
        raise QueryError(f"{where}: {len(missing):,} of the {len(shards):,} shards that {MANIFEST_NAME} lists "
                         f"{'is' if len(missing) == 1 else 'are'} missing "
                         f"({', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''})")
    for shard in shards:
        if shard.path.stat().st_size != shard.bytes:
            raise QueryError(f"{shard.path} holds {shard.path.stat().st_size:,} bytes, and {MANIFEST_NAME} "
                             f"says {shard.bytes:,}: it was written again since the build; build again")
    return ShardSet(where, tuple(shards), total, base)


def shard_set_of(path: str | os.PathLike[str]) -> ShardSet | None:
    """The set that the shard file ``path`` is one of (its folder's manifest lists it); else ``None``."""
    where = Path(path)
    if not _SHARD_NAME.fullmatch(where.name):
        return None
    try:
        found = shard_set(where.parent)
    except QueryError:
        return None
    return found if found is not None and where.name in {shard.path.name for shard in found.shards} else None


def shard_store(found: ShardSet) -> ox.Store:
    """An in-memory store of every shard of ``found``, checked against the manifest's count of triples.

    Raises
    ------
    QueryError
        If a shard cannot be read, or the shards hold other than the manifest's number of triples
        (a shard written again, or another build's, since the manifest).
    """
    import zlib

    from kg.errors import InputTooLargeError
    from kg.query.inputs import MAX_EXPANSION, open_input

    store = ox.Store()
    held = 0
    for shard in found.shards:
        try:
            with open_input(shard.path, True) as fh:  # (gzipped, its expansion bounded as kg.load's is)
                store.bulk_load(fh.as_io(), ox.RdfFormat.N_TRIPLES)
        except InputTooLargeError as err:
            raise QueryError(f"cannot read {shard.path}: it expands to more than {MAX_EXPANSION} times its size"
                             ) from err
        except (OSError, EOFError, zlib.error, SyntaxError, ValueError, MemoryError) as err:
            raise QueryError(f"cannot read {shard.path}: {err}") from err
        # (every triple is in one shard alone: each adds its own count)
        if len(store) - held != shard.triples:
            raise QueryError(f"{shard.path} holds {len(store) - held:,} triples of its own, and {MANIFEST_NAME} "
                             f"says {shard.triples:,}: a shard was changed since the build; build again")
        held = len(store)
    return store
