"""Read the corpus: walk it safely, decode each page file."""

__all__: list[str] = []
