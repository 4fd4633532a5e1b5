"""Test helper: which generated functions (`codegen.Pipeline`) a run calls, by their source."""

from __future__ import annotations

import pytest

from piglatin.back import codegen as CG


def record_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The sources of the generated functions called from now on, each with the name it
    defines (every `Pipeline.function` made after this wraps its function to record it)."""
    called: dict[str, str] = {}
    compiled = CG.Pipeline.function

    def function(self: CG.Pipeline):
        fn = compiled(self)

        def calling(*args, **kwargs):
            called[self.source] = self.name
            return fn(*args, **kwargs)

        return calling

    monkeypatch.setattr(CG.Pipeline, "function", function)
    return called
