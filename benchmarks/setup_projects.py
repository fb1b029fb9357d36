"""Install the large benchmark project: rich, pygments and markdown-it-py as plain sources.

They go into ``benchmarks/.projects/large`` (gitignored) with ``pip install
--no-deps --target``, pinned, so every run bundles the same 150k+ lines. Then
``all_pygments.py`` is written beside them: a static import of every lexer,
style and formatter module, which pygments otherwise loads by computed name.
The scenario imports it only on request, so every bundler carries all of
pygments (as a faithful bundle of a highlighter must) while the run itself
loads only the few lexers it uses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / ".projects" / "large"
PINNED = ("rich==13.9.4", "pygments==2.19.1", "markdown-it-py==3.0.0", "mdurl==0.1.2")
PACKAGES = ("pygments.lexers", "pygments.styles", "pygments.formatters")


def install() -> None:
    if (TARGET / "rich").is_dir():
        return
    command = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(TARGET)]
    subprocess.run([*command, *PINNED], check=True)


def all_pygments_text() -> str:
    lines = ['"""Every pygments module loaded by computed name, imported statically."""', ""]
    for package in PACKAGES:
        folder = TARGET.joinpath(*package.split("."))
        for path in sorted(folder.glob("*.py")):
            if path.stem != "__init__":
                lines.append(f"import {package}.{path.stem}  # noqa: F401")
    return "\n".join(lines) + "\n"


def main() -> Path:
    install()
    (TARGET / "all_pygments.py").write_text(all_pygments_text(), encoding="utf-8")
    return TARGET


if __name__ == "__main__":
    print(main())
