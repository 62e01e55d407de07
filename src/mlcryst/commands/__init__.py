"""Command groups of the ``mlcryst`` CLI beyond the core ones in :mod:`mlcryst.cli`.

Each module defines click commands only; heavy imports stay inside the command functions so
``mlcryst --help`` stays fast.
"""
