"""The build on a Dask cluster: the keyed-fact map/reduce in partitions, written as N-Triples shards.

:mod:`kg.distributed.partitioned` splits the reduce of :mod:`kg.facts` into
stages over partitions of keys (plain functions); :mod:`kg.distributed.job`
runs them as Dask tasks and :mod:`kg.distributed.shards` writes each
partition's triples as one sorted shard.  Nothing here imports Dask until a
job runs: ``pip install 'kg[dask]'`` brings it.
"""

__all__: list[str] = []
