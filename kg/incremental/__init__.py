"""Rebuild after a few pages changed: the cache, the output index, the patch."""

__all__: list[str] = []
