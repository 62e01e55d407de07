"""Turning library errors into messages and exit codes: the one place the CLI exits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from mlcryst.errors import MlcrystError, ValidationFailed

F = TypeVar("F", bound=Callable[..., Any])

#: what a command that writes or sends says when the graph does not conform
NOTHING_DONE = {
    "build": "nothing was written",
    "export": "nothing was written",
    "push": "nothing was sent to the server",
}


def _fail(message: str, code: int) -> None:
    click.echo(f"mlcryst: error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn library errors into a message on stderr and the documented exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            click.echo(f"mlcryst: error: {exc}", err=True)
            for v in exc.violations:
                click.echo(f"  {v}", err=True)
            ctx = click.get_current_context(silent=True)
            done = NOTHING_DONE.get(ctx.info_name or "" if ctx else "")
            if done:
                click.echo(done, err=True)
            sys.exit(exc.exit_code)
        except MlcrystError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper  # type: ignore[return-value]
