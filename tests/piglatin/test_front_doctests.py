"""The front-end modules' docstring examples stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "piglatin.schema",
    "piglatin.parser",
    "piglatin.preprocess",
    "piglatin.builder",
    "piglatin.logical",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
