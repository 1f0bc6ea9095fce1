"""Optional dependencies: the extra that installs each, and one error where one is missing.

The core (``pip install kg``) builds and writes every default output; tables
(pandas), progress bars, the igraph view, ``kg serve`` and the Dask engine
need an extra. A feature that lacks its package raises
:class:`~kg.errors.MissingExtraError`, which names what to install, not a bare
``ModuleNotFoundError``.
"""

from __future__ import annotations

from kg.errors import MissingExtraError

__all__ = ["OPTIONAL_MODULES", "missing_extra", "require"]

#: Optional top-level module -> the extra of kg that installs it.
OPTIONAL_MODULES = {"pyvis": "html", "numpy": "html", "jinja2": "html", "pandas": "query", "tqdm": "progress",
                    "igraph": "igraph", "uvicorn": "serve",
                    "dask": "dask", "distributed": "dask", "fsspec": "dask"}


def missing_extra(module: str) -> MissingExtraError:
    """The error for an optional ``module`` that is not installed.

    Examples
    --------
    >>> str(missing_extra("pandas"))
    "this needs the optional package 'pandas': pip install 'kg[query]'"
    """
    extra = OPTIONAL_MODULES[module]
    return MissingExtraError(f"this needs the optional package {module!r}: pip install 'kg[{extra}]'")


def require(module: str) -> None:
    """Raise :func:`missing_extra`'s error unless the optional ``module`` can be imported.

    Examples
    --------
    >>> require("pandas")  # installed with kg[query]: nothing to say
    """
    from importlib import import_module

    try:
        import_module(module)
    except ImportError as err:
        raise missing_extra(module) from err
