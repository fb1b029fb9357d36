"""Map third-party import names to installed distributions for requirements.txt."""

from __future__ import annotations

from importlib import metadata


def import_names_to_distributions() -> dict[str, list[str]]:
    """Import name -> distributions, from top_level.txt or else the files listed.

    Not ``packages_distributions()``: before 3.11 it reads top_level.txt only,
    which wheels built by many backends (typer's, for one) do not have."""
    mapping: dict[str, list[str]] = {}
    for dist in metadata.distributions():
        tops = (dist.read_text("top_level.txt") or "").split()
        if not tops:
            tops = [f.parts[0].split(".")[0] for f in dist.files or () if f.suffix == ".py"]
        for top in dict.fromkeys(tops):
            mapping.setdefault(top, []).append(dist.metadata["Name"])
    return mapping


def requirements_lines(import_names: tuple[str, ...]) -> list[str]:
    """``name==version`` for each installed distribution; a comment for the rest."""
    mapping = import_names_to_distributions()
    lines: dict[str, None] = {}
    for name in import_names:
        dists = mapping.get(name)
        if not dists:
            lines[f"# {name}: imported, but no installed distribution provides it"] = None
            continue
        for dist in sorted(set(dists)):
            lines[f"{dist}=={metadata.version(dist)}"] = None
    return sorted(lines, key=lambda line: (line.startswith("#"), line.lower()))
