"""Parse pages: markdown-it-py tokens to typed page records, with path:line diagnostics."""

__all__: list[str] = []
