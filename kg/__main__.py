"""``python -m kg``: the ``kg`` command, as its console script runs it (:func:`kg.program.run`)."""

from kg.program import run

__all__: list[str] = []  # a script, not a module to import from

if __name__ == "__main__":
    run()
