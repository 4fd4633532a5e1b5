"""Pig Latin front-end errors: one root `PigError`, one subclass per stage.

Owns: error classes carrying (file, line, column), the `ERROR nnnn: <file f, line l,
column c> message` format with the offending source line and a caret, and the
"did you mean" suggestion helper.  Must not touch: parsing, plans or execution.
"""

from __future__ import annotations

from collections.abc import Iterable


class PigError(Exception):
    """Root of every user-facing Pig error.  `code` follows Pig's error numbers."""

    code: int = 2999

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        source_line: str | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.source_line = source_line
        if code is not None:
            self.code = code

    def located(self, file: str | None, text: str | None) -> PigError:
        """Fill in the file name and the offending source line (returns self); an error
        already placed in another file (a parameter file, a UDF) keeps its own."""
        if self.file is None:
            self.file = file
        elif self.file != file:
            return self
        if self.source_line is None and text is not None and self.line:
            lines = text.splitlines()
            if 0 < self.line <= len(lines):
                self.source_line = lines[self.line - 1]
        return self

    def where(self) -> str:
        """`<file q.pig, line 3, column 11>` (parts that are unknown are left out).

        As in Pig (ANTLR positions) the printed column counts from 0; `self.column`
        itself is 1-based like the AST's, and `location()` prints it 1-based.
        """
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column - 1}")
        return f"<{', '.join(parts)}> " if parts else ""

    def location(self) -> str:
        """`q.pig:3:12` — the compiler-style location."""
        bits = [self.file or "<script>"]
        if self.line is not None:
            bits.append(str(self.line))
            if self.column is not None:
                bits.append(str(self.column))
        return ":".join(bits)

    def format(self) -> str:
        """Pig's one-line message; then, when the position is known, the compiler-style
        `file:line:column` (1-based), the offending line and a caret under the column.

        ERROR 1200: <file q.pig, line 2, column 20> Syntax error, ...
          --> q.pig:2:21
        B = FILTER A BY a > ;
                            ^
        """
        head = f"ERROR {self.code}: {self.where()}{self.message}"
        if self.line is None:
            return head
        lines = [head, f"  --> {self.location()}"]
        if self.source_line is not None:
            caret_col = max((self.column or 1) - 1, 0)
            prefix = "".join(c if c == "\t" else " " for c in self.source_line[:caret_col])
            lines += [self.source_line, f"{prefix}^"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return f"{self.where()}{self.message}"


class ParseError(PigError):
    """The script is not valid Pig Latin (syntax); Pig reports these as 1200."""

    code = 1200


class ParameterError(PigError):
    """Parameter substitution failed (undefined `$name`, bad -param)."""

    code = 1000


class UndefinedAliasError(PigError):
    """A statement refers to a relation alias that was never assigned (DUMP and
    DESCRIBE of an unknown alias use 1003, as Pig does)."""

    code = 1200


class SchemaError(PigError):
    """A field or schema problem found while building the logical plan."""

    code = 1025


class TypeCheckError(SchemaError):
    """Incompatible types found at compile time."""

    code = 1039


class UnknownFunctionError(PigError):
    """A function name that is neither a builtin, a DEFINE nor a registered UDF."""

    code = 1070


class PlanError(PigError):
    """A statement that cannot be turned into a logical plan (e.g. bad JOIN option)."""

    code = 1000


class CommandFailedError(PigError):
    """An `sh` or `fs` statement whose command failed (Pig: "sh command '...' failed");
    in a script it stops the script, with Pig's I/O exit status."""

    code = 1000


class JobFailedError(PigError):
    """A MapReduce job of the script failed while it ran (a task's error, a STREAM command's
    failure): Pig counts it as a failed job. Unless ``stop.on.failure`` (``pig -F``) the
    script goes on with what does not need the job's output, and `pig` exits with Pig's
    FAILURE (2) when no job succeeded, PARTIAL_FAILURE (3) when some did. `job_id` names
    the job when it is known."""

    code = 2997
    job_id: str | None = None


class DumpFailedError(PigError):
    """The job of a DUMP failed: Pig's PigServer.openIterator throws (ERROR 1066 "Unable to
    open iterator for alias", around the job's error, which the console shows: LogUtils
    prints the deepest coded error), so the script stops there and `pig` exits with Pig's
    PIG_EXCEPTION (6), not a failed job's status."""

    @classmethod
    def of(cls, e: PigError) -> DumpFailedError:
        return cls(e.message, code=e.code, file=e.file, line=e.line, column=e.column)


class UserCodeError(PigError):
    """A registered Python UDF file that cannot be loaded (Pig's "Python Error", 1121):
    located in the user's file, not in the framework's frames."""

    code = 1121


def user_code_error(exc: BaseException, path: str) -> UserCodeError:
    """`exc`, raised while loading the user's file `path`, as a UserCodeError at the
    user's own line: a SyntaxError's, else the deepest frame in the user's code (not the
    framework's, not Python's or an installed library's: the user's file or a module of
    theirs it imports); the message is Python's own `Type: text`, a traceback's last line."""
    import os
    import traceback

    name = type(exc).__name__
    if isinstance(exc, SyntaxError) and exc.filename:
        text = exc.text.rstrip("\n") if exc.text else None
        return UserCodeError(
            f"Python Error. {name}: {exc.msg}",
            file=exc.filename,
            line=exc.lineno,
            column=exc.offset if text is not None and exc.offset else None,
            source_line=text,
        )
    import sysconfig

    framework = os.path.dirname(os.path.abspath(__file__))
    python = {sysconfig.get_path(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not os.path.abspath(f.filename).startswith(framework) and "<frozen" not in f.filename
    ]
    users = [f for f in frames if not any(f.filename.startswith(p) for p in python if p)]
    where = (users or frames or [None])[-1]
    if where is None:
        return UserCodeError(f"Python Error. {name}: {exc}", file=path)
    return UserCodeError(
        f"Python Error. {name}: {exc}",
        file=where.filename,
        line=where.lineno,
        source_line=where.line or None,
    )


def suggest(name: str, candidates: Iterable[str]) -> str:
    """`" Did you mean 'x'?"` for the closest candidate, or `""` when none is close."""
    import difflib  # here: only a failing command needs it

    pool = list(dict.fromkeys(candidates))
    best = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not best:
        lowered = {c.lower(): c for c in pool}
        near = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
        best = [lowered[near[0]]] if near else []
    return f" Did you mean '{best[0]}'?" if best else ""
