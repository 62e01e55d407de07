"""The ``mlcryst`` command: options parsed, the library called, errors turned into exit codes.

Holds the command group (:mod:`.main`), the commands by theme (:mod:`.visual`, :mod:`.remote`,
:mod:`.scale`), shared options (:mod:`.options`) and the one error hook (:mod:`.errors`). The
only package that prints or exits. May import everything.
"""

from mlcryst.cli.main import main

__all__ = ["main"]
