"""The front-end modules' docstring examples stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "piglatin.model.schema",
    "piglatin.front.parser",
    "piglatin.front.preprocess",
    "piglatin.front.builder",
    "piglatin.plan.logical",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
