"""frictionless's own checks of a descriptor and its schemas (metadata only, no data read), run
in this process or beside it.

Importing frictionless takes longer than kdata takes to check every row of the bundled data.
A one-shot command (``kdata validate``) therefore runs these checks in a child interpreter
while it reads the tables, so that on a machine with two cores the import costs no wall time;
a library call runs them in process, where frictionless stays imported from one call to the
next. Both give the same messages, in the same order.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

#: The child runs this file as a script (not ``-m``, which would import kdata's validation
#: package first); ``-P`` keeps the script's folder off its import path.
CHILD = [sys.executable, "-P", __file__]


def messages(descriptor: dict[str, Any]) -> list[str]:
    """frictionless's messages about the descriptor, checked in this process."""
    from frictionless import FrictionlessException, Package

    try:
        return [error.message for error in Package.metadata_validate(descriptor)]
    except FrictionlessException as exc:  # a field type it does not know makes it raise
        return [exc.error.message]


def start(descriptor: dict[str, Any], *, beside: bool) -> Callable[[], list[str]]:
    """Begin checking ``descriptor``; the returned function waits for the messages. ``beside``
    runs the check in a child interpreter; if one cannot be started, or it fails, the check
    runs here instead, so the messages never depend on the mode."""
    if not beside or not CHILD[0]:
        return lambda: messages(descriptor)
    try:
        child = subprocess.Popen(CHILD, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True, encoding="utf-8")
    except OSError:
        return lambda: messages(descriptor)
    try:  # the child reads its input before it imports anything, so this write does not wait long
        with child.stdin:  # type: ignore[union-attr]
            json.dump(descriptor, child.stdin)
    except OSError:  # the child died before reading (a broken interpreter)
        child.kill()
        child.wait()
        return lambda: messages(descriptor)

    def wait() -> list[str]:
        out = child.stdout.read()  # type: ignore[union-attr]
        if child.wait() != 0:
            return messages(descriptor)
        return json.loads(out)

    return wait


if __name__ == "__main__":  # the child: a descriptor on stdin, its messages on stdout as JSON
    json.dump(messages(json.load(sys.stdin)), sys.stdout)
