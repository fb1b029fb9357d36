"""The bundle report in the Action's step summary: size, modules, start-up,
the change against a previous report, and the biggest modules.

The start-up figure is what a start costs before the program's own code
runs, measured by the running Python without running any of it: a script
bundle is compiled at every start; the launcher mode unmarshals its code
cache's head (or, without a cache for this Python, compiles the module).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Optional

TOP = 10  # modules shown
ROUNDS = 5  # best of, on a shared runner

LOAD = """\
import marshal, os, sys, time
path, cache = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if cache and os.path.exists(cache):
    with open(cache, "rb") as stream:
        size = int.from_bytes(stream.read(4), "little")
        marshal.loads(stream.read(size))
else:
    with open(path, "rb") as stream:
        compile(stream.read(), path, "exec", dont_inherit=True)
print(time.perf_counter() - started)
"""


def load_seconds(data: dict, folder: Path, python: str = sys.executable) -> Optional[float]:
    """Best of a few loads of the program's code (never run), or None if it cannot load."""
    files = {entry["role"]: folder / entry["path"] for entry in data["files"]}
    code = files.get("module") or files.get("bundle")
    if code is None:
        return None
    tag = sys.implementation.cache_tag if python == sys.executable else ""
    cache = code.with_name(f"{code.stem}.{tag}.cribo") if data["mode"] == "launcher" else None
    times = []
    for _ in range(ROUNDS):
        command = [python, "-S", "-c", LOAD, str(code), str(cache or "")]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode:
            return None
        times.append(float(done.stdout))
    return min(times)


def render_bundle_summary(data: dict, previous: Optional[dict], seconds: Optional[float]) -> str:
    totals = data["totals"]
    before = previous["totals"] if previous else {}
    lines = [
        f"### cribo-ci bundle report: `{data['output']}`",
        "",
        "| | now | change |",
        "| --- | --- | --- |",
        row("size to run (bytes)", totals["program_bytes"], before.get("program_bytes")),
        row("modules", totals["modules"], before.get("modules")),
        row("sources (bytes)", totals["source_bytes"], before.get("source_bytes")),
    ]
    if seconds is not None:
        lines.append(f"| start-up: load before the program runs | {seconds * 1000:.1f} ms | |")
    lines += [
        "",
        f"Biggest modules ({data['mode']} mode):",
        "",
        "| module | bytes in the bundle | change | why it is in |",
        "| --- | --- | --- | --- |",
    ]
    old = {m["name"]: m["bundle_bytes"] for m in previous["modules"]} if previous else {}
    biggest = sorted(data["modules"], key=lambda m: (-m["bundle_bytes"], m["name"]))[:TOP]
    for module in biggest:
        was = old.get(module["name"]) if previous else None
        moved = "new" if previous and was is None else signed(module["bundle_bytes"], was)
        lines.append(
            f"| `{module['name']}` | {module['bundle_bytes']:,} | {moved} | {module['reason']} |"
        )
    if previous:
        names = {m["name"] for m in data["modules"]}
        gone = sorted(set(old) - names)
        added = sorted(names - set(old))
        lines += [
            "",
            f"Against the previous report: {len(added)} module(s) added, {len(gone)} removed.",
        ]
        lines += [f"- added `{name}`" for name in added[:TOP]] + [
            f"- removed `{name}`" for name in gone[:TOP]
        ]
    return "\n".join(lines) + "\n"


def row(label: str, now: int, before: Optional[int]) -> str:
    return f"| {label} | {now:,} | {signed(now, before)} |"


def signed(now: int, before: Optional[int]) -> str:
    if before is None:
        return ""
    delta = now - before
    percent = f" ({delta / before:+.1%})" if before else ""
    return f"{delta:+,}{percent}"
