"""Pinned real packages, installed once into ``tests/realworld/cache/`` (gitignored).

``pip install --no-deps --target`` per pin; then every native extension file is
deleted, so each package runs its pure-Python fallback and one copy serves
every interpreter (3.9 to 3.13) alike.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CACHE = Path(__file__).parent / "cache"
# Versions that install on and support Python 3.9 to 3.13.
PINS = {
    "attrs": "24.2.0",
    "certifi": "2024.8.30",
    "chardet": "5.2.0",
    "charset-normalizer": "3.4.0",
    "click": "8.1.7",
    "idna": "3.10",
    "importlib-metadata": "8.5.0",
    "jinja2": "3.1.4",
    "loguru": "0.7.3",
    "markdown": "3.7",
    "markdown-it-py": "3.0.0",
    "markupsafe": "2.1.5",
    "mdurl": "0.1.2",
    "mistune": "3.0.2",
    "packaging": "24.1",
    "pycountry": "24.6.1",
    "pygments": "2.18.0",
    "python-dateutil": "2.9.0.post0",
    "pytz": "2024.2",
    "pyyaml": "6.0.2",
    "requests": "2.32.3",
    "rich": "13.9.4",
    "six": "1.16.0",
    "tomlkit": "0.13.2",
    "typing-extensions": "4.12.2",
    "urllib3": "2.2.3",
    "wcwidth": "0.2.13",
    "zipp": "3.20.2",
}
NATIVE_SUFFIXES = (".so", ".pyd", ".dylib")


def installed(distribution: str) -> Path:
    """The folder holding one pinned distribution, installing it on first use."""
    target = CACHE / f"{distribution}-{PINS[distribution]}"
    if not (target / ".complete").exists():
        install(distribution, target)
    return target


def install(distribution: str, target: Path) -> None:
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    pin = f"{distribution}=={PINS[distribution]}"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile"]
    subprocess.run([*command, "--target", str(staging), pin], check=True)
    for path in sorted(staging.rglob("*")):
        if path.suffix in NATIVE_SUFFIXES or path.name == "__pycache__":
            remove(path)
    (staging / ".complete").write_text(pin + "\n")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(PINS):
        print(installed(name))
