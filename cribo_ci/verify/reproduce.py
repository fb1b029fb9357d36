"""``verify --against FILE``: is a downloaded release file what the sources give?

The project is bundled again, in memory (nothing is written), with its own
settings, and each FILE is compared byte for byte with the file of the same
name that bundle would write: the bundle, the launcher and its module, a code
cache, the map, the report. A difference says where the bytes part, how big
and which hash each side has, and for text a short diff.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Sequence, Union

from ..api import bundle_project, metafile_beside, output_files, report_files
from ..config import Config
from .bundle_diff import diff_excerpt
from .report import FAIL, PASS, Check, VerifyReport

Content = Union[str, bytes]
DIFF_LINES = 40


def reproduce_project(config: Config, against: Sequence[Path]) -> VerifyReport:
    if config.metafile is None:  # where the Action puts the report of a release
        config = dataclasses.replace(config, metafile=metafile_beside(config.output))
    bundle = bundle_project(config)
    shipped = output_files(bundle, config)
    made = {**shipped, **report_files(bundle, config, shipped)}
    expected = {path.name: content for path, content in made.items()}
    checks = tuple(reproduce_check(path, expected) for path in against)
    digest = hashlib.sha256(b"".join(read(path) or b"" for path in against)).hexdigest()
    return VerifyReport(
        ", ".join(str(path) for path in against), digest, bundle.module_count, checks
    )


def read(path: Path):
    try:
        return path.read_bytes()
    except OSError:
        return None


def as_bytes(content: Content) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def reproduce_check(path: Path, expected: dict[str, Content]) -> Check:
    name = f"reproduce {path.name}"
    if path.name not in expected:
        made = ", ".join(sorted(expected))
        return Check(name, FAIL, f"not a file these sources bundle into (they give: {made})")
    given = read(path)
    if given is None:
        return Check(name, FAIL, f"cannot read {path}")
    made = as_bytes(expected[path.name])
    if given == made:
        return Check(name, PASS, f"byte for byte what the sources give (sha256 {sha(made)[:16]}…)")
    return Check(name, FAIL, difference_summary(given, made), difference_details(path, given, made))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def difference_summary(given: bytes, made: bytes) -> str:
    offset = next(
        (i for i, (a, b) in enumerate(zip(given, made)) if a != b), min(len(given), len(made))
    )
    text = b"\0" not in made  # a code cache has no lines
    newlines = given[:offset].count(b"\n")
    line = f" (line {newlines + 1})" if text else ""
    return (
        f"differs from byte {offset}{line} on: {len(given):,} bytes given, "
        f"{len(made):,} rebuilt; sha256 {sha(given)[:16]}… given, {sha(made)[:16]}… rebuilt"
    )


def difference_details(path: Path, given: bytes, made: bytes) -> str:
    try:
        old, new = given.decode("utf-8"), made.decode("utf-8")
    except UnicodeDecodeError:  # a code cache: bytes, not lines
        return f"sha256 given:   {sha(given)}\nsha256 rebuilt: {sha(made)}\n"
    labels = (f"{path.name} (given)", f"{path.name} (rebuilt from the sources)")
    return diff_excerpt(old, new, labels, DIFF_LINES)
