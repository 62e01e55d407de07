"""``python -m mlcryst``: the same as the ``mlcryst`` command."""

from .cli import main

main(prog_name="mlcryst")
