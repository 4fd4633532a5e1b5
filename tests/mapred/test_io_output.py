"""Output formats: Hadoop TextOutputFormat's line shapes and binary record output."""

from __future__ import annotations

import gzip
import io

import pytest

from dfs.conf import Configuration
from mapred.errors import JobConfigError
from mapred.output import (
    NullOutputFormat,
    RecordFileOutputFormat,
    TextOutputFormat,
    get_output_format,
)
from mapred.recordfile import RecordFileReader

CONF = Configuration(load_site=False)


class KeepOpen(io.BytesIO):
    """A BytesIO whose contents survive close() (writers close their file)."""

    def close(self) -> None:
        self.final = self.getvalue()
        super().close()


def text_output(pairs, conf=CONF) -> bytes:
    out = KeepOpen()
    writer = TextOutputFormat().open_writer(out, conf)
    for key, value in pairs:
        writer.write(key, value)
    writer.close()
    assert out.closed
    return out.final


def test_key_tab_value_lines():
    assert text_output([("a", 1), ("b c", 2.5), (3, "x")]) == b"a\t1\nb c\t2.5\n3\tx\n"


def test_none_key_or_value_drops_the_separator_like_nullwritable():
    pairs = [(None, "only value"), ("only key", None), (None, None), ("k", "v")]
    assert text_output(pairs) == b"only value\nonly key\nk\tv\n"


def test_bytes_are_written_raw_and_text_as_utf8():
    pairs = [(b"\xff\x00", "é"), ("ключ", b"raw"), (b"k", None)]
    assert text_output(pairs) == b"\xff\x00\t\xc3\xa9\n\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87\traw\nk\n"


def test_custom_separator():
    conf = Configuration({"mapreduce.output.textoutputformat.separator": ","}, load_site=False)
    assert text_output([("a", 1), (b"b", 2)], conf) == b"a,1\nb,2\n"


def test_large_output_is_flushed_in_pieces_and_complete():
    pairs = [(f"key{i}", i) for i in range(200_000)]
    expected = "".join(f"key{i}\t{i}\n" for i in range(200_000)).encode()
    assert text_output(pairs) == expected


def test_compressed_text_output():
    conf = Configuration({"mapreduce.output.fileoutputformat.compress": "true"}, load_site=False)
    fmt = TextOutputFormat()
    assert fmt.get_extension(conf) == ".gz" and fmt.get_extension(CONF) == ""
    out = KeepOpen()
    writer = fmt.open_writer(out, conf)
    writer.write("a", 1)
    writer.close()
    assert gzip.decompress(out.final) == b"a\t1\n"


def test_record_file_output_round_trips():
    out = KeepOpen()
    writer = RecordFileOutputFormat().open_writer(out, CONF)
    recs = [((1, "a"), [1, 2]), ("k", None), (None, {"m": (1,)})]
    for key, value in recs:
        writer.write(key, value)
    writer.close()
    assert list(RecordFileReader(io.BytesIO(out.final))) == recs
    assert RecordFileOutputFormat.extension == "" and TextOutputFormat.extension == ""


def test_null_output_writes_nothing_and_closes():
    out = KeepOpen()
    writer = NullOutputFormat().open_writer(out, CONF)
    writer.write("k", "v")
    writer.close()
    assert out.final == b""


def test_get_output_format():
    assert type(get_output_format("text")) is TextOutputFormat
    assert type(get_output_format("records")) is RecordFileOutputFormat
    assert type(get_output_format(RecordFileOutputFormat)) is RecordFileOutputFormat
    fmt = TextOutputFormat()
    assert get_output_format(fmt) is fmt
    with pytest.raises(JobConfigError, match="unknown output format 'xml'"):
        get_output_format("xml")


def test_write_pairs_writes_what_write_would():
    """The batch form: pairs of strings are joined in bulk, anything else (None, bytes, numbers,
    lists as pairs) record by record, in one file, in order; the count includes skipped pairs."""
    pairs = [(f"k{i}", f"v{i}") for i in range(5000)]
    pairs[10:10] = [(None, "line"), ("a", None), (None, None), (b"raw", "x"), ["l", "m"], (1, 2.5)]
    pairs += [("ä\u00e9", "tab\there")]
    expected = text_output(pairs)
    out = KeepOpen()
    writer = TextOutputFormat().open_writer(out, CONF)
    assert writer.write_pairs(iter(pairs)) == len(pairs)
    writer.close()
    assert out.final == expected
    assert expected.count(b"\n") == len(pairs) - 1  # (None, None) writes nothing


def test_write_pairs_refuses_what_is_not_a_pair():
    writer = TextOutputFormat().open_writer(KeepOpen(), CONF)
    with pytest.raises(ValueError):
        writer.write_pairs([("a", "b")] * 100 + [("a", "b", "c")])
