"""The audit hook that every equivalence run uses really catches exec and compile.

The equivalence test runs each bundle with ``tests/support/audit`` on
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


def run_audited(script: Path) -> str:
    log = script.parent / "audit.log"
    env = clean_env(PYTHONPATH=str(AUDIT), CRIBO_AUDIT_BUNDLE=str(script), CRIBO_AUDIT_LOG=str(log))
    run = run_python([script.name], script.parent, env=env)
    assert run.exit_code == 0, run.stderr
    return log.read_text() if log.exists() else ""


@pytest.mark.parametrize("source", CHEATS)
def test_the_audit_hook_catches_a_program_that_runs_its_own_code(tmp_path, source):
    script = tmp_path / "cheat.py"
    # The guard stops the re-run of the script's own source from recursing.
    script.write_text("if __name__ == '__main__':\n    " + source.replace("\n", "\n    "))
    assert "of bundle code" in run_audited(script)


def test_a_real_bundle_passes_the_audit(tmp_path):
    from cribo_ci.api import bundle_project
    from cribo_ci.config import Config

    bundle = tmp_path / "app.py"
    bundle.write_text(bundle_project(Config(entry=EXAMPLE)).text)
    assert run_audited(bundle) == ""
