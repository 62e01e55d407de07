"""The one small hierarchy of errors that library code raises.

Only the command line turns them into messages and exit codes (see ``EXIT_CODES``).

>>> from mlcryst.errors import DataError
>>> str(DataError("year must be a whole number", file="data/papers.yaml", line=12, field="year"))
'data/papers.yaml:12: year: year must be a whole number'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (shacl.report imports this module)
    from collections.abc import Sequence

    from mlcryst.shacl.report import Violation


class MlcrystError(Exception):
    """Base of every error mlcryst raises on purpose."""

    exit_code = 1


class UsageError(MlcrystError):
    """A command-line option or environment variable has a value that cannot be used."""

    exit_code = 2


class DataError(MlcrystError):
    """A curated input file is malformed or inconsistent.

    Carries the file, line, record and field so a curator can find it.
    """

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        rec = f"{self.record}: " if self.record else ""
        fld = f"{self.field}: " if self.field else ""
        return f"{where}{rec}{fld}{self.message}"


class DataErrors(DataError):
    """Several data errors found in one pass, reported together."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the data")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ShapesError(DataError):
    """A SHACL shape cannot be used: malformed, or (inside the compiler) not translated."""


class RecursiveShapes(ShapesError):
    """A shape refers to itself (through sh:node, sh:property, sh:not, ...): SHACL leaves
    the validation of recursive shapes undefined, so mlcryst refuses them on every path."""


class InvalidShapes(ShapesError):
    """A shape breaks a rule of the SHACL specification (e.g. its SHACL-SPARQL uses MINUS)."""


class ValidationFailed(MlcrystError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 4

    def __init__(self, violations: Sequence[Violation], report_text: str = "") -> None:
        self.violations = violations
        self.report_text = report_text
        super().__init__(f"the graph does not conform: {len(violations)} violation(s)")


class QueryError(MlcrystError):
    """A SPARQL query is malformed, unknown, or not allowed."""

    exit_code = 5


class QueryTimeout(QueryError):
    """A query, a parse or a validation ran past its time or memory limit and was stopped."""

    exit_code = 8


class TimeLimitExceeded(QueryTimeout):
    """Stopped at the time limit."""


class MemoryLimitExceeded(QueryTimeout):
    """Stopped at the memory limit (or the child died without an answer, as it does there)."""


class OutputError(MlcrystError):
    """An output could not be written or an input graph file could not be read."""

    exit_code = 6


class EndpointError(MlcrystError):
    """A remote SPARQL endpoint refused or failed a request."""

    exit_code = 7


class ServerError(MlcrystError):
    """A local server (``mlcryst serve``) could not start or stopped: a port in use, nginx
    or the Oxigraph server missing or failing."""

    exit_code = 9


#: Exit codes of the ``mlcryst`` command, documented in the README.
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "unexpected internal error (a bug: please report it)",
    2: "bad command-line usage",
    3: "bad input data (file, line, record and field are named)",
    4: "the graph does not conform to the SHACL shapes (nothing written)",
    5: "bad, unknown or refused SPARQL query",
    6: "an output could not be written, or an input graph could not be read",
    7: "a remote SPARQL endpoint failed",
    8: "a query, parse or validation exceeded its time or memory limit",
    9: "mlcryst serve: a port in use, nginx or oxigraph missing, or a server failed",
}
