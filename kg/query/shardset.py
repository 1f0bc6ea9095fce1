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

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.distributed.shards import MANIFEST_NAME, SHARD_FORMAT
from kg.errors import QueryError

__all__ = ["ShardSet", "shard_set", "shard_set_of", "shard_store", "part_note"]

#: A manifest larger than this is no manifest of kg's (a million shards' entries take about 150 MB).
MAX_MANIFEST_BYTES = 256 << 20
_SHARD_NAME = re.compile(r"graph-\d{5,}\.nt\.gz")  # (as kg.distributed.shards.shard_name names them)


@dataclass(frozen=True, slots=True)
class ShardSet:
    """A folder's shards, as its manifest lists them."""

    folder: Path
    shards: tuple[Path, ...]
    #: The triples of all the shards together, as the manifest counts them.
    triples: int
    base_iri: str | None


def shard_set(folder: str | os.PathLike[str]) -> ShardSet | None:
    """The shards that ``folder``'s ``manifest.json`` lists; ``None`` where it has no manifest.

    Raises
    ------
    QueryError
        If the manifest is not one a build on Dask writes, or a shard it lists is missing.
    """
    where = Path(folder)
    manifest = where / MANIFEST_NAME
    if not manifest.is_file():
        return None
    try:
        with open(manifest, "rb") as fh:
            data = json.loads(fh.read(MAX_MANIFEST_BYTES + 1) or b"null")
    except (OSError, ValueError) as err:
        raise QueryError(f"cannot read {manifest}: {err}") from err
    entries = data.get("shards") if isinstance(data, dict) and data.get("format") == SHARD_FORMAT else None
    names: list[str] = [entry["name"] for entry in entries if isinstance(entry, dict)
                        and isinstance(entry.get("name"), str) and _SHARD_NAME.fullmatch(entry["name"])
                        ] if isinstance(entries, list) else []
    total = data.get("triples") if isinstance(data, dict) else None
    if not isinstance(entries, list) or len(names) != len(entries) or not isinstance(total, int):
        raise QueryError(f"{manifest} does not list N-Triples shards as kg build --engine dask writes them")
    missing = [name for name in names if not (where / name).is_file()]
    if missing:
        raise QueryError(f"{where}: {len(missing):,} of the {len(names):,} shards that {MANIFEST_NAME} lists "
                         f"{'is' if len(missing) == 1 else 'are'} missing "
                         f"({', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''})")
    base = data.get("base_iri")
    return ShardSet(where, tuple(where / name for name in names), total, base if isinstance(base, str) else None)


def shard_set_of(path: str | os.PathLike[str]) -> ShardSet | None:
    """The set that the shard file ``path`` is one of (its folder's manifest lists it); else ``None``."""
    where = Path(path)
    if not _SHARD_NAME.fullmatch(where.name):
        return None
    try:
        found = shard_set(where.parent)
    except QueryError:
        return None
    return found if found is not None and where.name in {shard.name for shard in found.shards} else None


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
    from kg.query.loader import MAX_EXPANSION, open_input

    store = ox.Store()
    for shard in found.shards:
        try:
            with open_input(shard, True) as fh:  # (gzipped, its expansion bounded as kg.load's is)
                store.bulk_load(fh.as_io(), ox.RdfFormat.N_TRIPLES)
        except InputTooLargeError as err:
            raise QueryError(f"cannot read {shard}: it expands to more than {MAX_EXPANSION} times its size") from err
        except (OSError, EOFError, zlib.error, SyntaxError, ValueError, MemoryError) as err:
            raise QueryError(f"cannot read {shard}: {err}") from err
    if len(store) != found.triples:
        raise QueryError(f"the shards in {found.folder} hold {len(store):,} triples, and its {MANIFEST_NAME} "
                         f"{found.triples:,}: a shard was changed since the build; build again")
    return store


def part_note(path: str | os.PathLike[str]) -> str | None:
    """What to say of a file that is one shard of a set: its answers are a part's."""
    found = shard_set_of(path)
    if found is None or len(found.shards) < 2:
        return None
    return (f"{Path(path).name} is one of the {len(found.shards):,} shards of the graph in {found.folder}: "
            f"give the folder to query them all")
