"""``python -m kg``: the ``kg`` command, as its console script runs it (:func:`kg.cli.run`)."""

from kg.cli import run

if __name__ == "__main__":
    run()
