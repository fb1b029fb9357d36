"""The Action's release: whether a run publishes, which files it attaches to the
GitHub Release of the tag, their ``SHA256SUMS``, and the ``gh`` calls.

Every file is attached by its base name (a release's assets have no folders),
and the same paths go to ``actions/attest-build-provenance``, which names each
subject by its base name too: the release, its sums and the attestation speak
of the same names and bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional, Sequence

from ..errors import ConfigError, CriboError

CHECKSUMS = "SHA256SUMS"

# The attestation action reads ``subject-path`` as CSV and each entry as a glob;
# gh reads ``file#label``: a path holding one of these would name other files.
UNSAFE_IN_PATHS = ',"*?[]{}#\n'


def release_tag(wanted: str, given_tag: str, ref_type: str, ref_name: str) -> Optional[str]:
    """The tag whose release gets the files, or None. Empty ``wanted``: a tag push
    publishes, nothing else does; ``true``: publish on any event (to ``given_tag``,
    else the pushed tag); ``false``: never."""
    wanted = wanted.strip().lower()
    if wanted not in ("", "true", "false"):
        raise ConfigError(
            f"the 'release' input must be 'true' or 'false' (empty: on a tag push), not {wanted!r}"
        )
    if wanted == "false" or (wanted == "" and ref_type != "tag"):
        return None
    tag = given_tag.strip() or (ref_name if ref_type == "tag" else "")
    if not tag:
        raise ConfigError(
            "'release: true' on a push that is not a tag: name the release's tag in 'release-tag'"
        )
    return tag


def release_files(paths: Sequence[Path]) -> tuple[Path, ...]:
    """The files to attach, each once; a missing file, two files of one name, or a
    path the attestation action or gh would misread is an error."""
    files = tuple(dict.fromkeys(path.resolve() for path in paths))
    by_name: dict[str, Path] = {}
    for path in files:
        if not path.is_file():
            raise CriboError(f"cannot attach {path}: no such file")
        unsafe = sorted(set(str(path)) & set(UNSAFE_IN_PATHS))
        if unsafe:
            raise CriboError(
                f"cannot attach {path}: its path holds {unsafe[0]!r}, which the attestation "
                "action reads as a list separator or a pattern: rename the folder or the file"
            )
        if path.name in by_name or path.name == CHECKSUMS:
            other = by_name.get(path.name, path)
            raise CriboError(
                f"cannot attach both {other} and {path}: a release holds one file per name"
            )
        by_name[path.name] = path
    return files


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums_text(files: Sequence[Path]) -> str:
    """``sha256sum`` format, by name: ``sha256sum -c SHA256SUMS`` in the folder the
    release's files were downloaded to checks them."""
    rows = sorted((path.name, file_sha256(path)) for path in files)
    return "".join(f"{digest}  {name}\n" for name, digest in rows)


def view_command(tag: str) -> list[str]:
    """Exit 0 when the tag has a release (quiet: only its tag, as JSON)."""
    return ["gh", "release", "view", "--json", "tagName", "--", tag]


def attach_command(tag: str, files: Sequence[Path], exists: bool) -> list[str]:
    """Upload to the release, replacing files of the same names (a re-run), or create it.
    ``--verify-tag``: a tag that was never pushed fails, rather than gh tagging the
    default branch's head; ``--``: a tag is never read as a flag."""
    if exists:
        return ["gh", "release", "upload", "--clobber", "--", tag, *map(str, files)]
    flags = ["--verify-tag", "--generate-notes"]
    return ["gh", "release", "create", *flags, "--", tag, *map(str, files)]
