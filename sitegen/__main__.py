"""`python -m sitegen` runs the same command line as the `sitegen` script."""

from sitegen.cli import run

run()
