"""First and later starts of the launcher mode's artifact, on every Python it was made for.

    .venv/bin/python benchmarks/setup_projects.py   # once: the large project
    .venv/bin/python benchmarks/first_start.py [--rounds 10] [--json benchmarks/results/first_start.json]

The large project is bundled once with ``--launcher`` and ``python-versions``
set to every pyenv Python 3.9-3.13 found, so the artifact carries a code
cache per interpreter. Then, on each interpreter, round after round and
interleaved: the unbundled program with its bytecode cached (the reference),
the artifact's *first* start (its files copied into a fresh empty folder, as
a download is: new paths, new times), a *later* start in that folder, and the
first start of a copy without the code caches (what a first start cost
before they were shipped). The artifact is made twice, in two folders, and
must come out byte for byte the same, caches included. Programs run with ``python -S``. The table shows
the best of the rounds and ratios to the unbundled start on the same
interpreter (the machine is shared: compare ratios, not seconds). Not part
of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
LARGE = HERE / ".projects" / "large"
ENTRY = HERE / "projects" / "large" / "main.py"
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
KINDS = ("unbundled", "first start", "later start", "first start, no shipped cache")


def interpreters() -> dict[str, str]:
    found = {}
    for version in VERSIONS:
        candidates = sorted(PYENV.glob(f"{version}.*/bin/python"))
        if candidates:
            found[version] = str(candidates[-1])
    return found


def clean_env(**extra: str) -> dict:
    """No PYTHON* settings: bytecode is written and read, as on a user's machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CRIBO_"))}
    env.update(PYTHONHASHSEED="0", **extra)
    return env


def build(versions: list[str], scratch: Path) -> Path:
    """The artifact: launcher, module and one code cache per interpreter."""
    scratch.mkdir(parents=True, exist_ok=True)
    project = scratch / "project"
    shutil.copytree(ENTRY.parent, project, ignore=shutil.ignore_patterns("__pycache__"))
    listed = ", ".join(f'"{version}"' for version in versions)
    (project / "cribo.toml").write_text(f"[bundler]\npython-versions = [{listed}]\n")
    out = scratch / "artifact"
    command = [
        sys.executable,
        "-m",
        "cribo_ci",
        "bundle",
        "-e",
        "main.py",
        "-o",
        str(out / "main.py"),
    ]
    command += ["--src", str(LARGE), "--launcher", "--no-sourcemap", "--no-cache"]
    subprocess.run(command, cwd=project, env=clean_env(), check=True)
    return out


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def fresh_copy(artifact: Path, target: Path, with_caches: bool) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in artifact.iterdir():
        if with_caches or path.suffix != ".cribo":
            (target / path.name).write_bytes(path.read_bytes())
    return target


def one_round(python: str, artifact: Path, scratch: Path, expected: str) -> dict[str, float]:
    unbundled_env = clean_env(PYTHONPATH=str(LARGE))
    times = {"unbundled": timed([python, "-S", str(ENTRY)], ENTRY.parent, unbundled_env)[0]}
    folder = fresh_copy(artifact, scratch / "run", with_caches=True)
    for kind in ("first start", "later start"):
        times[kind], out = timed([python, "-S", "main.py"], folder, clean_env())
        if out != expected:
            raise SystemExit(f"{kind} on {python} printed something else")
    bare = fresh_copy(artifact, scratch / "bare", with_caches=False)
    times[KINDS[3]] = timed([python, "-S", "main.py"], bare, clean_env())[0]
    return times


def measure(pythons: dict[str, str], artifact: Path, scratch: Path, rounds: int) -> dict:
    results = {version: {kind: [] for kind in KINDS} for version in pythons}
    expected = {}
    for version, python in pythons.items():  # warm the unbundled program's bytecode
        for _ in range(2):
            env = clean_env(PYTHONPATH=str(LARGE))
            expected[version] = timed([python, "-S", str(ENTRY)], ENTRY.parent, env)[1]
    for _ in range(rounds):
        for version, python in pythons.items():
            for kind, seconds in one_round(python, artifact, scratch, expected[version]).items():
                results[version][kind].append(seconds)
    return results


def table(results: dict) -> str:
    lines = ["| Python | unbundled s | first start s | vs unbundled | later s | vs unbundled | "
             "first, no shipped cache s | vs unbundled |", "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for version, kinds in results.items():
        best = {kind: min(values) for kind, values in kinds.items()}
        base = best["unbundled"]
        cells = [f"{best['unbundled']:.3f}"]
        for kind in KINDS[1:]:
            cells += [f"{best[kind]:.3f}", f"{best[kind] / base:.2f}x"]
        lines.append(f"| {version} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--json", type=Path, default=HERE / "results" / "first_start.json")
    args = parser.parse_args(argv)
    if not (LARGE / "all_pygments.py").exists():
        raise SystemExit("no large project: run benchmarks/setup_projects.py first")
    pythons = interpreters()
    with tempfile.TemporaryDirectory(prefix="cribo-first-start-") as scratch:
        artifact = build(list(pythons), Path(scratch) / "one")
        again = build(list(pythons), Path(scratch) / "two")
        differing = [
            p.name for p in artifact.iterdir() if p.read_bytes() != (again / p.name).read_bytes()
        ]
        if differing or sorted(p.name for p in again.iterdir()) != sorted(
            p.name for p in artifact.iterdir()
        ):
            raise SystemExit(f"two bundles of the same sources differ: {differing}")
        sizes = {path.name: path.stat().st_size for path in sorted(artifact.iterdir())}
        results = measure(pythons, artifact, Path(scratch), args.rounds)
    text = table(results)
    print(text)
    record = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "rounds": args.rounds,
        "interpreters": pythons,
        "artifact_bytes": sizes,
        "made_twice_byte_identical": True,
        "seconds": results,
        "table": text,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
