"""Random multi-module programs: the bundle must run exactly like the original.

A generated program is a handful of modules, top-level or in packages (a
regular package, a subpackage, a namespace package), tied by absolute,
aliased, relative, from- and star imports, with import cycles. Every module
has globals, a class (inheriting across modules), a closure, a ``global``
counter and a ``globals()`` write; the entry prints what they compute.

Two tiers keep every program valid, so a difference can only be the
bundler's: "dag" modules import each other eagerly and only forward (no
cycle); "cycle" modules import any "dag" module eagerly and bind each other
(and themselves) at module level, using those bindings only inside
functions, the way real circular imports must. Any module may import any
other inside a function.

A failure prints the program's files, and with
``CRIBO_SAVE_FAILING_PROGRAM=tests/fixtures/<name>`` also writes the shrunk
program there: an equivalence fixture, to commit before fixing the bundler.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import Fixture, build_bundle, fresh_dir, run_bundle, run_unbundled, write_project

# Where a module may live: top level, a regular package, its subpackage, and
# a package that is sometimes a namespace package (no __init__.py).
HOMES = ("", "p0", "p0.q0", "p1")
EAGER_FORMS = ("import", "import-as", "from-name", "relative-name", "star")
BINDING_FORMS = ("import", "import-as", "from-package", "relative-module")
DEFERRED_FORMS = ("import", "from-name", "importlib")
SAVE_FAILING = os.environ.get("CRIBO_SAVE_FAILING_PROGRAM", "")
# Module-level constructs that the bundle's module bodies must rewrite or keep.
EXTRAS = {
    "future-annotations": ("from __future__ import annotations", ""),
    "annotated-global": ("", "ANNOTATED{i}: 'list[int]' = [V{i}]\nprint(__annotations__)"),
    "walrus-comprehension": ("", "SQUARES{i} = [last := n * n for n in range(3)]\nLAST{i} = last"),
    "guarded-import": (
        "",
        "try:\n    import not_installed_{i}\nexcept ImportError:\n    MISSING{i} = True",
    ),
    "private-names": (
        "",
        "class _Hidden{i}:\n    __secret = {i}\n    def peek(self):\n        return self.__secret",
    ),
    "locals-write": ("", "locals()['L{i}'] = {i}\nprint('L{i}', L{i}, sorted(vars())[:3])"),
    "module-global-statement": ("global V{i}", "V{i} = V{i} + 0"),
    "main-guard": ("", "if __name__ == '__main__':\n    print('never: imported')"),
    "identity": ("", "print(__name__, __package__, __spec__.name, __spec__.parent, __doc__)"),
    "pickle": (
        "import pickle",
        "print(type(pickle.loads(pickle.dumps(C{i}()))).__qualname__, pickle.loads(pickle.dumps(bump)) is bump)",
    ),
    "type-hints": (
        "import typing",
        "def hinted{i}(x: 'C{i}') -> 'list[int]':\n    return [x]\nprint(typing.get_type_hints(hinted{i}))",
    ),
    "del-name": ("", "TEMP{i} = 1\ndel TEMP{i}\nprint('TEMP{i}' in globals())"),
    "module-getattr": (
        "import sys as _sys{i}",
        "def __getattr__(name):\n    if name.startswith('__'):\n        raise AttributeError(name)"
        "\n    return 'dynamic ' + name\nprint(_sys{i}.modules[__name__].anything)",
    ),
    "dataclass": (
        "",
        "import dataclasses\n@dataclasses.dataclass\nclass D{i}:\n    x: int = {i}\nprint(D{i}())",
    ),
}


@dataclass(frozen=True)
class ModuleSpec:
    home: str
    tier: str  # "dag" or "cycle"
    constant: int
    eager: tuple[tuple[int, str], ...]  # (target, form): run at import time
    binding: tuple[tuple[int, str], ...]  # cycle tier: module objects, used later
    deferred: tuple[tuple[int, str], ...]  # imported inside report()
    has_all: bool
    prints_on_import: bool
    base: int  # index of an eagerly imported module whose class to extend, or -1
    extras: frozenset[str] = frozenset()  # EXTRAS present in this module


@dataclass(frozen=True)
class Program:
    modules: tuple[ModuleSpec, ...]
    entry_order: tuple[int, ...]
    namespace_p1: bool
    init_constants: bool
    init_reexports: bool  # a package's __init__ re-exports a leaf module's value


def name_of(program: Program, index: int) -> str:
    home = program.modules[index].home
    return f"{home}.m{index}" if home else f"m{index}"


@st.composite
def programs(draw) -> Program:
    count = draw(st.integers(2, 7))
    dag_count = draw(st.integers(1, count))
    modules = []
    for index in range(count):
        tier = "dag" if index < dag_count else "cycle"
        eager_pool = list(range(index + 1, dag_count)) if tier == "dag" else list(range(dag_count))
        eager = draw(edges(eager_pool, EAGER_FORMS))
        cycle_pool = list(range(dag_count, count)) if tier == "cycle" else []
        binding = draw(edges(cycle_pool, BINDING_FORMS))
        deferred = draw(edges(list(range(count)), DEFERRED_FORMS))
        bases = [target for target, form in eager if form != "star"]
        modules.append(
            ModuleSpec(
                home=draw(st.sampled_from(HOMES)),
                tier=tier,
                constant=draw(st.integers(-5, 50)),
                eager=eager,
                binding=binding,
                deferred=deferred,
                has_all=draw(st.booleans()),
                prints_on_import=draw(st.booleans()),
                base=draw(st.sampled_from([-1, *bases])),
                extras=frozenset(draw(st.sets(st.sampled_from(sorted(EXTRAS)), max_size=3))),
            )
        )
    # The entry imports some modules; the rest are bundled only if reached.
    order = draw(st.permutations(range(count)))[: draw(st.integers(1, count))]
    flags = draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
    return Program(tuple(modules), tuple(order), *flags)


def edges(pool: list[int], forms: tuple[str, ...]):
    if not pool:
        return st.just(())
    edge = st.tuples(st.sampled_from(pool), st.sampled_from(forms))
    return st.lists(edge, max_size=3, unique_by=lambda e: e[0]).map(tuple)


def relative(importer: str, target: str) -> tuple[str, str]:
    """(``from`` part, last name) of a relative import, or ``("", "")`` if none reaches."""
    package = importer.split(".")[:-1]
    parts = target.split(".")
    if not package or not parts[:-1] or parts[0] != package[0]:
        return "", ""
    common = 0
    while common < min(len(package), len(parts) - 1) and package[common] == parts[common]:
        common += 1
    dots = "." * (len(package) - common + 1)
    return dots + ".".join(parts[common:-1]), parts[-1]


def import_line(program: Program, importer: int, target: int, form: str) -> tuple[str, str]:
    """(import statement, expression for the target module or its V name)."""
    me, it = name_of(program, importer), name_of(program, target)
    leaf, parent = f"m{target}", it.rpartition(".")[0]
    if form == "import-as":
        return f"import {it} as alias{target}", f"alias{target}"
    if form in ("from-package", "relative-module", "relative-name"):
        source, last = relative(me, it)
        if form == "from-package" and parent:
            return f"from {parent} import {leaf}", leaf
        if form == "relative-module" and source:
            return f"from {source} import {last}", last
        if form == "relative-name" and source:
            module = source + ("" if source.endswith(".") else ".") + last
            return f"from {module} import V{target}", f"V{target}"
    if form in ("from-name", "relative-name"):
        return f"from {it} import V{target}", f"V{target}"
    if form == "star":
        return f"from {it} import *", f"V{target}"
    return f"import {it}", it


def deferred_import(program: Program, importer: int, target: int, form: str) -> tuple[str, str]:
    if form == "importlib":
        return "import importlib", f"importlib.import_module({name_of(program, target)!r})"
    return import_line(program, importer, target, form)


def value_of(expression: str, target: int) -> str:
    return expression if expression.startswith("V") else f"{expression}.V{target}"


def module_text(program: Program, index: int) -> str:
    spec = program.modules[index]
    lines = [f'"""{name_of(program, index)}: {spec.tier} tier."""']
    extras = [EXTRAS[extra] for extra in sorted(spec.extras)]
    lines += [head.format(i=index) for head, _ in extras if head]
    values, bases = [], {}
    for target, form in spec.eager:
        statement, expression = import_line(program, index, target, form)
        lines.append(statement)
        values.append(value_of(expression, target))
        if form != "star":
            bases[target] = expression
    bound = []
    for target, form in spec.binding:
        statement, expression = import_line(program, index, target, form)
        lines.append(statement)
        bound.append((target, expression))
    if spec.has_all:
        lines.append(f"__all__ = ['V{index}', 'C{index}', 'report']")
    total = " + ".join([str(spec.constant), *values])
    base = "object"
    if spec.base in bases:
        expression = bases[spec.base]
        base = f"{expression}.C{spec.base}" if not expression.startswith("V") else "object"
    deferred = [deferred_import(program, index, target, form) for target, form in spec.deferred]
    lines += [
        f"V{index} = {total}",
        f"COUNT = {spec.constant % 7}",
        f"globals()['G{index}'] = V{index} * 3",
        "",
        "def bump(step):",
        "    global COUNT",
        "    COUNT += step",
        "    return COUNT",
        "",
        f"class C{index}({base}):",
        f"    tag = {spec.constant}",
        "    def value(self):",
        f"        mine = [type(self).__qualname__, type(self).__module__, self.tag + V{index}]",
        f"        return mine + (super().value() if C{index}.__bases__ != (object,) else [])",
        "",
        "def make_counter(start):",
        "    def step():",
        "        nonlocal start",
        "        start += 1",
        "        return start",
        "    return step",
        "",
        "def report():",
        *(f"    {statement}" for statement, _ in deferred),
        f"    counter = make_counter(V{index})",
        f"    parts = [__name__, V{index}, G{index}, bump(2), C{index}().value(), counter(), counter()]",
        *(
            f"    parts.append({value_of(expr, t)})"
            for (t, _), (_, expr) in zip(spec.deferred, deferred)
        ),
        *(f"    parts.append(({expr}).__name__)" for _, expr in bound if not expr.startswith("V")),
        "    parts.append(make_counter.__qualname__)",
        "    return parts",
    ]
    lines += [body.format(i=index) for _, body in extras if body]
    if spec.prints_on_import:
        lines.append(
            f"print('importing', __name__, V{index}, sorted(n for n in dir() if n[0] == 'V'))"
        )
    return "\n".join(lines) + "\n"


def program_files(program: Program) -> dict[str, str]:
    files = {}
    for index in range(len(program.modules)):
        path = name_of(program, index).replace(".", "/") + ".py"
        files[path] = module_text(program, index)
    packages = {
        ".".join(home.split(".")[: n + 1])
        for spec in program.modules
        if spec.home
        for home in [spec.home]
        for n in range(len(home.split(".")))
    }
    for package in sorted(packages):
        if package == "p1" and program.namespace_p1:
            continue
        text = f"PACKAGE = {package!r}\n" if program.init_constants else ""
        leaves = [
            index
            for index, spec in enumerate(program.modules)
            if spec.home == package and spec.tier == "dag" and not spec.eager
        ]
        if program.init_reexports and leaves:  # a leaf imports nothing eagerly: always safe
            text += f"from .m{leaves[0]} import V{leaves[0]}\n"
        files[package.replace(".", "/") + "/__init__.py"] = text
    entry = ["import re", "import sys"]
    for index in program.entry_order:
        entry.append(f"import {name_of(program, index)}")
    for index in program.entry_order:
        entry.append(f"print({name_of(program, index)}.report())")
    entry.append("ours = re.compile(r'(m[0-9]+|p[01])(\\.|$)')")
    entry.append("print(sorted(filter(ours.match, sys.modules)))")
    files["main.py"] = "\n".join(entry) + "\n"
    return files


def check_program(program: Program) -> None:
    files = program_files(program)
    listing = "".join(f"--- {path}\n{text}" for path, text in sorted(files.items()))
    workdir = fresh_dir()
    try:
        source = write_project(workdir / "project", files)
        fixture = Fixture(name="generated", folder=source)
        expected = run_unbundled(fixture, workdir)
        assert expected.exit_code == 0, f"the generator made a bad program:\n{expected.stderr}"
        bundle = workdir / "out" / "main.py"
        try:
            build_bundle(fixture, bundle)
        except Exception as error:
            raise AssertionError(f"bundling failed: {error}") from error
        audit_log = workdir / "audit.log"
        actual = run_bundle(fixture, bundle, workdir, audit_log)
        assert actual == expected, "the bundle runs differently"
        assert not audit_log.exists() or audit_log.read_text() == "", audit_log.read_text()
    except AssertionError as error:
        if SAVE_FAILING:  # hypothesis replays the shrunk program last: it is what stays
            shutil.rmtree(SAVE_FAILING, ignore_errors=True)
            write_project(Path(SAVE_FAILING), files)
        raise AssertionError(f"{error}\nthe program:\n{listing}") from error
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis folder in the working tree under tox
    suppress_health_check=[HealthCheck.too_slow],
)
@given(programs())
def test_generated_program_runs_alike_bundled(program):
    check_program(program)


def test_relative_reaches_only_inside_a_top_level_package():
    assert relative("p0.m1", "p0.m2") == (".", "m2")
    assert relative("p0.q0.m1", "p0.m2") == ("..", "m2")
    assert relative("p0.m1", "p0.q0.m2") == (".q0", "m2")
    assert relative("p0.m1", "p1.m2") == ("", "")
    assert relative("m1", "p0.m2") == ("", "")
    assert relative("p0.m1", "m2") == ("", "")
