"""Side-by-side benchmark: cribo-ci against Cribo and stickytape, in one run.

    .venv/bin/python benchmarks/setup_projects.py   # once: the large project
    .venv/bin/python benchmarks/run.py [--rounds 5] [--json benchmarks/results/latest.json]

Every measurement is repeated ``--rounds`` times with the tools interleaved
(the machines are shared and noisy), and the table shows the best of the rounds and ratios
within the run: bundling against Cribo, size against stickytape, start-up
and hot-loop time against the unbundled program. Peak memory is the bundler
process's maximum resident set (``wait4``). Programs run with ``python -S``
from an empty folder, so a bundle cannot fall back on installed packages.
The bundlers run from ``benchmarks/.venv``, made on the first run, with this
working tree's cribo-ci reinstalled at every run. Not part of the test run.
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
# The bundles run on the interpreter the venv was made from, never its site-packages.
PYTHON = getattr(sys, "_base_executable", sys.executable)
# The bundlers as users install them, in a venv of their own (gitignored):
# cribo-ci from this working tree but not editable (a development install's
# editable finder adds about 15 ms to every start), and the peers pinned.
TOOLS_VENV = HERE / ".venv"
BIN = TOOLS_VENV / "bin"
PEERS = ("cribo==0.9.2", "stickytape==0.2.1")


@dataclass(frozen=True)
class Project:
    name: str
    entry: Path
    roots: tuple[Path, ...]
    edit: Path  # the file changed for the "warm after a one-file change" bundle


@dataclass(frozen=True)
class Tool:
    name: str
    files: str  # "script", "launcher": how the bundle is run
    cribo_ci_flags: tuple[str, ...] = ()


@dataclass
class Row:
    project: str
    tool: str
    cold_s: list[float] = field(default_factory=list)
    warm_s: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    size_kb: float = 0.0
    run_s: list[float] = field(default_factory=list)
    loop_s: list[float] = field(default_factory=list)
    runs_like_original: bool = True
    note: str = ""


# Writing the source map is a large share of cribo-ci's bundling time, and
# neither peer writes one: the other cribo-ci rows leave it out.
TOOLS = (
    Tool("cribo-ci", "script"),
    Tool("cribo-ci --no-sourcemap", "script", ("--no-sourcemap",)),
    Tool("cribo-ci --launcher --no-sourcemap", "launcher", ("--launcher", "--no-sourcemap")),
    Tool(
        "cribo-ci baseline (exec) --no-sourcemap",
        "script",
        ("--no-static-bundling", "--no-sourcemap"),
    ),
    Tool("cribo", "script"),
    Tool("stickytape", "script"),
)


def projects() -> list[Project]:
    large_site = HERE / ".projects" / "large"
    found = [
        Project(
            "small (examples/app)",
            ROOT / "examples" / "app" / "main.py",
            (),
            ROOT / "examples" / "app" / "shapes" / "render.py",
        ),
        Project(
            "hot loop",
            HERE / "projects" / "hotloop" / "main.py",
            (),
            HERE / "projects" / "hotloop" / "geometry" / "shapes.py",
        ),
    ]
    if (large_site / "all_pygments.py").exists():
        found.append(
            Project(
                "large (rich+pygments+markdown-it)",
                HERE / "projects" / "large" / "main.py",
                (large_site,),
                large_site / "rich" / "text.py",
            )
        )
    else:
        print("no large project: run benchmarks/setup_projects.py first", file=sys.stderr)
    return found


def install_tools() -> None:
    """Make the tools' venv once, and put this working tree's cribo-ci in it afresh."""
    pip = [str(BIN / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if not (BIN / "python").exists():
        subprocess.run([PYTHON, "-m", "venv", str(TOOLS_VENV)], check=True)
        subprocess.run([*pip, *PEERS, str(ROOT)], check=True)
    subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)


def bundle_command(tool: Tool, project: Project, out: Path, scratch: Path) -> list[str]:
    if tool.name.startswith("cribo-ci"):
        roots = [arg for root in project.roots for arg in ("--src", str(root))]
        command = [str(BIN / "cribo-ci"), "bundle", "-e", str(project.entry), "-o", str(out)]
        return [*command, *roots, *tool.cribo_ci_flags]
    if tool.name == "cribo":
        config = scratch / "cribo.toml"
        sources = [str(project.entry.parent), *map(str, project.roots)]
        config.write_text(f"src = {json.dumps(sources)}\n")
        return [str(BIN / "cribo"), "-c", str(config), "-e", str(project.entry), "-o", str(out)]
    paths = [arg for root in project.roots for arg in ("--add-python-path", str(root))]
    return [str(BIN / "stickytape"), str(project.entry), *paths, "--output-file", str(out)]


def measure(command: list[str], env: dict, cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak resident MB, exit code) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode


def clean_env(**extra: str) -> dict:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "CRIBO_"))
    }
    env.update(PYTHONHASHSEED="0", **extra)
    return env


def touch_edit(path: Path, round_number: int) -> str:
    """Change one file (a comment at its end); returns the original text."""
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n# benchmark edit {round_number}\n", encoding="utf-8")
    return original


def copy_project(project: Project, scratch: Path) -> Project:
    """Bundle copies: the edits and ``__pycache__`` never touch the working tree."""
    base = scratch / "src" / slug(project.name)
    entry_dir = base / "entry"
    shutil.copytree(project.entry.parent, entry_dir, ignore=shutil.ignore_patterns("__pycache__"))
    roots = []
    for index, root in enumerate(project.roots):
        shutil.copytree(root, base / f"root{index}", ignore=shutil.ignore_patterns("__pycache__"))
        roots.append(base / f"root{index}")
    edit = relocate(project.edit, [project.entry.parent, *project.roots], [entry_dir, *roots])
    return Project(project.name, entry_dir / project.entry.name, tuple(roots), edit)


def relocate(path: Path, old: list[Path], new: list[Path]) -> Path:
    for before, after in zip(old, new):
        if path.is_relative_to(before):
            return after / path.relative_to(before)
    raise ValueError(path)


def slug(name: str) -> str:
    return "".join(char if char.isalnum() else "_" for char in name)


def bundle_round(project: Project, rows: dict, scratch: Path, number: int) -> None:
    for tool in TOOLS:
        row = rows[tool.name]
        folder = scratch / "bundles" / slug(tool.name)
        folder.mkdir(parents=True, exist_ok=True)
        cache = scratch / "cache" / f"{slug(tool.name)}-{number}"  # empty: a cold run
        env = clean_env(CRIBO_CACHE_DIR=str(cache))
        command = bundle_command(tool, project, folder / "main.py", scratch)
        seconds, peak, code = measure(command, env, scratch)
        if code:
            row.note = f"bundling failed (exit {code})"
            continue
        row.cold_s.append(seconds)
        row.peak_mb.append(peak)
        original = touch_edit(project.edit, number)
        try:
            warm = bundle_command(tool, project, scratch / "warm" / "main.py", scratch)
            row.warm_s.append(measure(warm, env, scratch)[0])
        finally:
            project.edit.write_text(original, encoding="utf-8")


def run_program(command: list[str], env: dict, cwd: Path) -> tuple[float, str, str, int]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout, done.stderr, done.returncode


def loop_seconds(stderr: str) -> float:
    lines = [line for line in stderr.splitlines() if line.startswith("loop_seconds=")]
    return float(lines[-1].partition("=")[2]) if lines else float("nan")


def place_bundle(tool: Tool, scratch: Path) -> Path:
    """The bundle's files, alone in an empty folder; returns what to run."""
    built = scratch / "bundles" / slug(tool.name)
    alone = scratch / "alone" / slug(tool.name)
    shutil.rmtree(alone, ignore_errors=True)
    shutil.copytree(built, alone)
    return alone / "main.py"


def unbundled_command(project: Project) -> tuple[list[str], dict]:
    path = os.pathsep.join(str(root) for root in project.roots)
    env = clean_env(PYTHONPATH=path) if path else clean_env()
    return [PYTHON, "-S", str(project.entry)], env


def check_runs(project: Project, rows: dict, scratch: Path) -> tuple[list[str], dict, dict]:
    """Warm every bytecode cache and check each bundle prints what the original does."""
    command, env = unbundled_command(project)
    expected = [run_program(command, env, project.entry.parent)[1:4:2] for _ in range(2)][-1]
    targets = {}
    for tool in TOOLS:
        row = rows[tool.name]
        if not row.cold_s:
            continue
        target = place_bundle(tool, scratch)
        row.size_kb = sum(path.stat().st_size for path in target.parent.glob("*.py")) / 1024
        outcome = [run_program([PYTHON, "-S", target.name], clean_env(), target.parent)]
        outcome.append(run_program([PYTHON, "-S", target.name], clean_env(), target.parent))
        if (outcome[-1][1], outcome[-1][3]) != expected:
            row.runs_like_original = False
            row.note = (row.note + " " + last_line(outcome[-1][2])).strip()
        targets[tool.name] = target
    return command, env, targets


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if not line.startswith("loop_seconds")]
    return f"run differs: {lines[-1][:70]}" if lines else "run differs"


def run_round(project: Project, rows: dict, unbundled: Row, checked) -> None:
    command, env, targets = checked
    seconds, _, stderr, _ = run_program(command, env, project.entry.parent)
    unbundled.run_s.append(seconds)
    unbundled.loop_s.append(loop_seconds(stderr))
    for name, target in targets.items():
        if not rows[name].runs_like_original:
            continue
        seconds, _, stderr, _ = run_program([PYTHON, "-S", target.name], clean_env(), target.parent)
        rows[name].run_s.append(seconds)
        rows[name].loop_s.append(loop_seconds(stderr))


def best(values: list[float]) -> float:
    """Best of the rounds: on a shared machine, noise only ever adds time."""
    values = [value for value in values if value == value]  # drop NaN
    return min(values) if values else float("nan")


def ratio(value: float, reference: float) -> str:
    if value != value or reference != reference or not reference:
        return "-"
    return f"{value / reference:.2f}x"


def figure(value: float, digits: int = 3) -> str:
    return "-" if value != value else f"{value:.{digits}f}"


COLUMNS = (
    "tool",
    "cold s",
    "vs cribo",
    "warm s",
    "peak MB",
    "size KB",
    "vs sticky",
    "start+run s",
    "vs unbundled",
    "loop vs unb.",
)


def table_rows(unbundled: Row, rows: dict) -> list[list[str]]:
    cribo_cold = best(rows["cribo"].cold_s)
    sticky_size = rows["stickytape"].size_kb or float("nan")
    base_run, base_loop = best(unbundled.run_s), best(unbundled.loop_s)
    lines = [["unbundled (bytecode cached)", *"------", figure(base_run), "1.00x", "-"]]
    for row in rows.values():
        cold, run = best(row.cold_s), best(row.run_s)
        lines.append(
            [
                row.tool + ("" if row.runs_like_original else " (run FAILS)"),
                figure(cold),
                ratio(cold, cribo_cold),
                figure(best(row.warm_s)),
                figure(best(row.peak_mb), 0),
                figure(row.size_kb or float("nan"), 0),
                ratio(row.size_kb or float("nan"), sticky_size),
                figure(run),
                ratio(run, base_run),
                ratio(best(row.loop_s), base_loop),
            ]
        )
    return lines


def markdown_table(title: str, lines: list[list[str]]) -> str:
    out = [f"**{title}**", "", "| " + " | ".join(COLUMNS) + " |"]
    out.append("|" + "|".join("---" for _ in COLUMNS) + "|")
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def benchmark(project: Project, rounds: int, scratch: Path) -> tuple[str, dict]:
    project = copy_project(project, scratch)
    rows = {tool.name: Row(project.name, tool.name) for tool in TOOLS}
    unbundled = Row(project.name, "unbundled")
    for number in range(rounds):
        bundle_round(project, rows, scratch, number)
    checked = check_runs(project, rows, scratch)
    for _ in range(rounds):
        run_round(project, rows, unbundled, checked)
    table = markdown_table(project.name, table_rows(unbundled, rows))
    record = {"unbundled": asdict(unbundled), "tools": [asdict(row) for row in rows.values()]}
    return table, record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--only", help="run only projects whose name contains this")
    args = parser.parse_args(argv)
    install_tools()
    results = {"python": platform.python_version(), "rounds": args.rounds, "cpus": os.cpu_count()}
    results["projects"] = {}
    tables = []
    for project in projects():
        if args.only and args.only not in project.name:
            continue
        with tempfile.TemporaryDirectory(prefix="cribo-bench-") as scratch:
            table, record = benchmark(project, args.rounds, Path(scratch))
        print(table + "\n", flush=True)
        tables.append(table)
        results["projects"][project.name] = record
    results["tables"] = tables
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
