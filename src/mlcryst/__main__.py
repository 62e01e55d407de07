"""``python -m mlcryst`` and the ``mlcryst`` command: a Ctrl-C even while it starts is a
one-line message and exit code 130, never a traceback."""

from __future__ import annotations

import sys


def run() -> None:
    """The ``mlcryst`` command."""
    try:
        from mlcryst.cli.main import main

        main(prog_name="mlcryst")
    except KeyboardInterrupt:  # Ctrl-C while the command is still starting
        sys.stderr.write("mlcryst: error: interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    run()
