# The two commands README documents.  Both set up what they need first.
.PHONY: setup sample test bench

setup:
	bash scripts/setup.sh

sample: setup
	.venv/bin/kg build examples/wcep-2015-09 -o out/wcep-2015-09

test: setup
	bash scripts/test.sh

bench: setup
	.venv/bin/python benchmarks/run.py
