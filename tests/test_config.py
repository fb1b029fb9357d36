"""Config layers: defaults < pyproject.toml < cribo.toml < environment < flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from cribo_ci.config import KEYS, Config, load_config
from cribo_ci.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_defaults(tmp_path):
    config = load_config(tmp_path, {}, {})
    assert config.static_bundling is True
    assert config == Config(origin=config.origin)


def test_each_layer_overrides_the_one_before(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        '[tool.cribo]\nentry = "a.py"\noutput = "py.out"\ninclude = ["x"]\nstatic-bundling = true\n',
    )
    write(tmp_path / "cribo.toml", '[bundler]\noutput = "cribo.out"\nexclude = ["y"]\n')
    env = {"CRIBO_STATIC_BUNDLING": "false", "CRIBO_INCLUDE": "p,q"}
    config = load_config(tmp_path, env, {"exclude": ["z"]})
    assert config.entry == tmp_path / "a.py"  # pyproject only
    assert config.output == tmp_path / "cribo.out"  # cribo.toml beats pyproject
    assert config.include == ("p", "q")  # environment beats files
    assert config.static_bundling is False
    assert config.exclude == ("z",)  # flags beat everything


def test_paths_are_relative_to_the_file_that_names_them(tmp_path):
    sub = tmp_path / "conf"
    sub.mkdir()
    config_file = write(sub / "cribo.toml", '[bundler]\nsrc = ["lib", "vendor"]\n')
    config = load_config(tmp_path, {}, {}, config_file)
    assert config.src == (sub / "lib", sub / "vendor")


def test_verify_cases_are_parsed(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        "[[tool.cribo.verify.cases]]\nargs = ['-v']\nstdin = 'x'\nexpect-exit = 2\n"
        "env = { A = '1' }\ntimeout = 5\n",
    )
    (case,) = load_config(tmp_path, {}, {}).verify_cases
    assert (case.args, case.stdin, case.expect_exit, case.env, case.timeout) == (
        ("-v",),
        "x",
        2,
        (("A", "1"),),
        5.0,
    )


BAD = [
    pytest.param('[tool.cribo]\nentyr = "main.py"\n', "unknown key 'entyr'", id="unknown-key"),
    pytest.param(
        "[tool.cribo]\nstatic-bundling = 3\n", "'static-bundling' must be true or false", id="bool"
    ),
    pytest.param("[tool.cribo]\nsrc = 5\n", "'src' must be a list of strings", id="list"),
    pytest.param("[tool.cribo]\nentry = ['a']\n", "'entry' must be a string", id="path"),
    pytest.param("[tool.cribo.verify]\nbogus = 1\n", "unknown key 'verify.bogus'", id="verify-key"),
    pytest.param(
        "[[tool.cribo.verify.cases]]\ntimeout = -1\n", "timeout' must be a positive", id="timeout"
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_config_names_the_key_and_file(tmp_path, text, message):
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, {}, {})
    assert message in str(raised.value)
    assert "pyproject.toml" in str(raised.value)
    assert raised.value.exit_code == 3


def test_invalid_toml_points_at_line_and_column(tmp_path):
    write(tmp_path / "cribo.toml", '[bundler]\nentry = "main.py\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, {}, {})
    assert "cribo.toml:2:" in str(raised.value)


def test_bad_environment_value_names_the_variable_source(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, {"CRIBO_STATIC_BUNDLING": "maybe"}, {})
    assert "environment" in str(raised.value)


def test_the_readme_documents_every_config_key():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    table = readme.split("<!-- config -->")[1].split("<!-- /config -->")[0]
    assert [key for key in KEYS if f"| `{key}` |" not in table] == []
