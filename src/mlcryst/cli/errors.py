"""Turning library errors into messages and exit codes: the one place the CLI exits.

:class:`Group` is the ``mlcryst`` command group; its :meth:`Group.invoke` runs every
subcommand inside :func:`report_errors`, so no command handles errors of its own.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from mlcryst.errors import MlcrystError, ValidationFailed

#: what a command that writes or sends says when the graph does not conform
NOTHING_DONE = {
    "build": "nothing was written",
    "export": "nothing was written",
    "push": "nothing was sent to the server",
}


def _fail(message: str, code: int) -> None:
    click.echo(f"mlcryst: error: {message}", err=True)
    sys.exit(code)


@contextmanager
def report_errors(ctx: click.Context) -> Iterator[None]:
    """Library errors raised inside become a message on stderr and the documented exit code
    (:data:`mlcryst.errors.EXIT_CODES`); Ctrl-C becomes exit 130. ``ctx`` is the group's
    context: the command that failed is its ``invoked_subcommand``."""
    try:
        yield
    except ValidationFailed as exc:
        click.echo(f"mlcryst: error: {exc}", err=True)
        for v in exc.violations:
            click.echo(f"  {v}", err=True)
        done = NOTHING_DONE.get(ctx.invoked_subcommand or "")
        if done:
            click.echo(done, err=True)
        sys.exit(exc.exit_code)
    except MlcrystError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)


class Group(click.Group):
    """The command group: every subcommand runs under :func:`report_errors`."""

    def invoke(self, ctx: click.Context) -> Any:
        with report_errors(ctx):
            return super().invoke(ctx)
