"""Faults while writing: a full disk, and Ctrl-C in the middle of the write.

Either way the old bundle stays byte for byte and no temporary file is left.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cribo_ci import api
from cribo_ci.cli import load_commands
from harness import clean_env, cli_runner

OLD_BUNDLE = b"# the earlier bundle\n"


def make_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "main.py").write_text("import big\nprint(len(big.S))\n")
    # 40 kB of module, so the bundle cannot fit a 16 kB disk.
    (folder / "big.py").write_text(f"S = {'x' * 40_000!r}\n")
    return folder / "main.py"


class FailingStream:
    """Writes some of the text, then fails the way a fault would."""

    def __init__(self, stream, fault: BaseException):
        self.stream, self.fault = stream, fault

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stream.close()

    def write(self, text: str) -> int:
        self.stream.write(text[:1000])
        self.stream.flush()  # the partial bundle really is on disk when the fault hits
        raise self.fault


def fail_writes_with(monkeypatch, fault: BaseException) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        api.os, "fdopen", lambda *args, **kwargs: FailingStream(real_fdopen(*args, **kwargs), fault)
    )


def test_full_disk_in_process_exits_9_and_keeps_the_old_bundle(tmp_path, monkeypatch):
    entry = make_project(tmp_path / "project")
    output = tmp_path / "out" / "bundle.py"
    output.parent.mkdir()
    output.write_bytes(OLD_BUNDLE)
    fail_writes_with(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    args = ["bundle", "-e", str(entry), "-o", str(output), "--no-cache"]
    result = cli_runner().invoke(load_commands(), args)
    assert result.exit_code == 9
    assert result.stderr == f"{output}: output error: cannot write: No space left on device\n"
    assert output.read_bytes() == OLD_BUNDLE
    assert os.listdir(output.parent) == ["bundle.py"]


def can_mount_tmpfs() -> bool:
    """A user namespace lets an unprivileged test mount a tiny tmpfs: a real full disk."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not can_mount_tmpfs(), reason="no user namespaces to mount a tmpfs in")
def test_full_disk_on_a_real_16k_tmpfs_exits_9_and_keeps_the_old_bundle(tmp_path):
    entry = make_project(tmp_path / "project")
    disk = tmp_path / "disk"
    disk.mkdir()
    # The mount lives only as long as the namespace: check inside it.
    script = (
        f"mount -t tmpfs -o size=16k tmpfs {disk} && printf '# old' > {disk}/bundle.py && "
        f"{sys.executable} -m cribo_ci bundle -e {entry} -o {disk}/bundle.py --no-cache; "
        f"echo exit=$?; ls -A {disk}; cat {disk}/bundle.py"
    )
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert done.stderr == (
        f"{disk}/bundle.py: output error: cannot write: No space left on device\n"
    )
    assert done.stdout == "exit=9\nbundle.py\n# old"


@pytest.mark.parametrize("files", [1, 2], ids=["bundle", "bundle-and-requirements"])
def test_ctrl_c_during_the_write_leaves_no_temporary_file(tmp_path, monkeypatch, files):
    output = tmp_path / "bundle.py"
    output.write_bytes(OLD_BUNDLE)
    targets = {output: "new bundle\n" * 500, tmp_path / "requirements.txt": "x\n"}
    fail_writes_with(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        api.write_atomically(dict(list(targets.items())[:files]))
    assert output.read_bytes() == OLD_BUNDLE
    assert os.listdir(tmp_path) == ["bundle.py"]


def test_ctrl_c_between_the_renames_leaves_no_temporary_file(tmp_path, monkeypatch):
    output = tmp_path / "bundle.py"
    real_replace = os.replace
    calls = []

    def replace_then_interrupt(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(api.os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        api.write_atomically({output: "bundle\n", tmp_path / "requirements.txt": "x\n"})
    assert sorted(os.listdir(tmp_path)) == ["bundle.py"]
    assert output.read_text() == "bundle\n"


def processes_mentioning(text: str) -> list[str]:
    """Live processes whose command line holds ``text`` (Linux /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            continue  # it ended while we looked
    return found


def large_project(folder: Path) -> Path:
    """Enough modules that the analysis runs in a process pool, and takes a while."""
    folder.mkdir()
    body = "".join(f"def f{n}(x):\n    return [x + {n} for _ in range(3)]\n" for n in range(300))
    for index in range(400):
        (folder / f"m{index}.py").write_text(body)
    (folder / "main.py").write_text("".join(f"import m{i}\n" for i in range(400)))
    return folder


def bundling_with_workers(tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    """(process, project, output): a large project's bundle under way, once
    its pool's workers are up, over an earlier bundle at ``output``."""
    project = large_project(tmp_path / "signalled-project")
    output = tmp_path / "out" / "bundle.py"
    output.parent.mkdir()
    output.write_bytes(OLD_BUNDLE)
    command = [sys.executable, "-m", "cribo_ci", "bundle", "-e", str(project / "main.py")]
    process = subprocess.Popen(
        [*command, "-o", str(output), "--no-cache"],
        env=clean_env(),
        stderr=subprocess.PIPE,
        # A shell's background job ignores SIGINT, and so would the child, as
        # Python then installs no handler: the test must not depend on how it runs.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Workers are forked: they have the bundler's command line.
    deadline = time.monotonic() + 30
    while len(processes_mentioning(str(project))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "bundling ended before the signal: enlarge the project"
    return process, project, output


def assert_no_worker_left(project: Path) -> None:
    deadline = time.monotonic() + 10
    while processes_mentioning(str(project)) and time.monotonic() < deadline:
        time.sleep(0.2)  # workers may need a moment to see their parent go
    assert processes_mentioning(str(project)) == [], "a worker outlived the bundler"


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")
def test_a_real_ctrl_c_while_bundling_leaves_no_output_and_no_worker(tmp_path):
    process, project, output = bundling_with_workers(tmp_path)
    try:
        process.send_signal(signal.SIGINT)
        stderr = process.communicate(timeout=60)[1].decode()
    finally:
        process.kill()
    assert process.returncode in (130, 1, -signal.SIGINT), stderr  # 1: click's "Aborted!"
    assert "Traceback" not in stderr
    assert output.read_bytes() == OLD_BUNDLE
    assert os.listdir(output.parent) == ["bundle.py"]
    assert_no_worker_left(project)


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_no_worker_outlives_a_bundler_ended_without_cleanup(ending, tmp_path):
    """``timeout``, a CI cancel or ``kill -9`` end the bundler at once: its
    workers must end with it, not wait on their queue for ever."""
    process, project, output = bundling_with_workers(tmp_path)
    try:
        process.send_signal(ending)
        process.wait(timeout=60)
    finally:
        process.kill()
    assert process.returncode == -ending
    assert output.read_bytes() == OLD_BUNDLE
    assert_no_worker_left(project)
