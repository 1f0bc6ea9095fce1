"""The keyed-fact map/reduce in partitions: on this machine's cores, or on a Dask cluster.

:mod:`kg.distributed.partitioned` splits the reduce of :mod:`kg.facts` into
stages over partitions of keys (plain functions).  :mod:`kg.distributed.local`
runs them in a process pool, spilling the shuffles to disk, and
:mod:`kg.distributed.merging` merges the partitions' runs of subjects into the
in-memory build's Turtle and N-Triples.  :mod:`kg.distributed.job` runs them
as Dask tasks and :mod:`kg.distributed.shards` writes each partition's triples
as one sorted shard.  Nothing here imports Dask until a job runs:
``pip install 'kg[dask]'`` brings it.
"""

__all__: list[str] = []
