"""A SUBSTRING that cuts a character outside the BMP in two (Pig counts UTF-16 chars, so an
emoji is two) leaves half a surrogate pair; STORE writes it as '?' as Java's String.getBytes
does in PigStorage, where the task failed with UnicodeEncodeError (found by the codegen
helper; at 5949932 too, codegen on or off)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mapred.output import TextRecordWriter
from piglatin.launcher import PigServer


@pytest.mark.parametrize("codegen", ["true", "false"])
def test_store_of_half_an_emoji(tmp_path: Path, codegen: str) -> None:
    (tmp_path / "in.txt").write_text("a\U0001f600b\nplain\n", encoding="utf-8")
    script = f"""
        SET pig.codegen {codegen};
        A = LOAD 'in.txt' AS (s:chararray);
        B = FOREACH A GENERATE SUBSTRING(s, 0, 2), s;
        STORE B INTO 'out';
    """
    with PigServer("local", cwd=tmp_path, out=io.StringIO()) as pig:
        pig.register_script(script)
    got = sorted((tmp_path / "out" / "part-m-00000").read_bytes().decode().splitlines())
    assert got == ["a?\ta\U0001f600b", "pl\tplain"]


def test_the_writer_replaces_only_what_utf8_cannot_hold() -> None:
    got = []
    buf = io.BytesIO()
    buf.close = lambda: got.append(buf.getvalue())  # the writer closes its file
    w = TextRecordWriter(buf)
    w.write(None, "x\ud83d")
    w.write("k\udc00", "v")
    w.write_pairs([("\ud83d", "é"), ("ok", "\U0001f600")])
    w.close()
    assert got == ["x?\nk?\tv\n?\té\nok\t\U0001f600\n".encode()]
