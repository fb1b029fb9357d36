"""The audit hook that every equivalence run uses really catches exec and compile.

The equivalence test runs each bundle with verify's ``audit_site`` on
PYTHONPATH; these tests show the hook flags a program that compiles or execs
its own code, and stays silent for a real bundle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import AUDIT, clean_env, run_python

EXAMPLE = Path(__file__).parent.parent / "examples" / "app" / "main.py"

CHEATS = [
    pytest.param(
        "exec(compile(open(__file__).read(), __file__, 'exec'), {'__name__': 'x'})\n",
        id="exec-own-source",
    ),
    pytest.param("code = compile('x = 1', __file__, 'exec')\n", id="compile-under-own-name"),
    pytest.param(
        "def body():\n    return 1\nexec(body.__code__)\n", id="exec-of-a-function-code-object"
    ),
]


def run_audited(script: Path):
    """(the run, what the hook logged)."""
    log = script.parent / "audit.log"
    env = clean_env(PYTHONPATH=str(AUDIT), CRIBO_AUDIT_BUNDLE=str(script), CRIBO_AUDIT_LOG=str(log))
    run = run_python([script.name], script.parent, env=env)
    return run, log.read_text() if log.exists() else ""


@pytest.mark.parametrize("source", CHEATS)
def test_the_audit_hook_catches_a_program_that_runs_its_own_code(tmp_path, source):
    script = tmp_path / "cheat.py"
    # The guard stops the re-run of the script's own source from recursing.
    script.write_text("if __name__ == '__main__':\n    " + source.replace("\n", "\n    "))
    run, logged = run_audited(script)
    assert "of bundle code" in logged
    assert run.exit_code != 0 and "refused" in run.stderr  # the hook refuses, not only logs


def test_a_real_bundle_passes_the_audit(tmp_path):
    from cribo_ci.api import bundle_project
    from cribo_ci.config import Config

    bundle = tmp_path / "app.py"
    bundle.write_text(bundle_project(Config(entry=EXAMPLE)).text)
    run, logged = run_audited(bundle)
    assert (run.exit_code, logged) == (0, ""), run.stderr
