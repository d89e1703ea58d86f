"""Shape of the code (issue 18): no function over 150 lines, no module over 900 lines, and no word list
of 20+ strings in code under flows/, transforms/, expectations/ and warehouse/ (word lists live in
data files, e.g. transforms/data/*.json, each group with its "why")."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("flows", "transforms", "expectations", "warehouse")
MAX_FUNCTION_LINES = 150
MAX_MODULE_LINES = 900
MAX_STRINGS = 19  # a literal holding 20 or more string constants is a word list

MODULES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if ".venv" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _strings(elements: list[ast.expr | None]) -> int:
    return sum(1 for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str))


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_literal(e) for e in node.elts)
    return False


def _word_lists(tree: ast.Module) -> list[tuple[int, str, int]]:
    """(line, kind, count) of every list/tuple/set literal, dict (keys or values) and set(...)/frozenset(...)
    call over a string literal that holds MAX_STRINGS+1 or more string constants."""
    found: list[tuple[int, str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            n = _strings(list(node.elts))
            kind = type(node).__name__.lower()
        elif isinstance(node, ast.Dict):
            # a lookup table (string keys -> literal values) is a word list; a row built from variables
            # ({"run_id": self.run_id, ...}) is not
            table = all(_literal(v) for v in node.values)
            n = max(_strings(list(node.keys)) if table else 0, _strings(list(node.values)))
            kind = "dict"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("set", "frozenset"):
            # frozenset("abc".split()) and the like: count the words of a split string
            n = 0
            for arg in node.args:
                if (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "split"
                        and isinstance(arg.func.value, ast.Constant) and isinstance(arg.func.value.value, str)):
                    n = max(n, len(arg.func.value.value.split()))
            kind = node.func.id + "(str.split())"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
              and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
              and not node.args):
            n = len(node.func.value.value.split())
            kind = "str.split()"
        else:
            continue
        if n > MAX_STRINGS:
            found.append((node.lineno, kind, n))
    return found


def test_modules_found() -> None:
    assert len(MODULES) > 20, MODULES


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_module_length(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines (max {MAX_MODULE_LINES})"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_function_length(path: Path) -> None:
    long = [f"{_name(path)}:{node.lineno} {node.name}() has {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(_tree(path))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: " + "; ".join(long)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_word_lists(path: Path) -> None:
    lists = [f"{_name(path)}:{line} {kind} of {n} strings" for line, kind, n in _word_lists(_tree(path))]
    assert not lists, "word lists in code (move them to a data file): " + "; ".join(lists)


def test_detector() -> None:
    words = ", ".join(f"'w{i}'" for i in range(20))
    split = " ".join(f"w{i}" for i in range(20))
    for src in (f"X = [{words}]", f"X = ({words})", f"X = {{{words}}}", f"X = frozenset([{words}])",
                f"X = set(({words}))", f"X = frozenset('{split}'.split())", f"X = '{split}'.split()",
                "X = {" + ", ".join(f"'k{i}': 1" for i in range(20)) + "}",
                "def f():\n    return [" + words + "]"):
        assert _word_lists(ast.parse(src)), src
    row = "X = {" + ", ".join(f"'k{i}': v.k{i}" for i in range(20)) + "}"
    assert not _word_lists(ast.parse(row))
    few = ", ".join(f"'w{i}'" for i in range(19))
    assert not _word_lists(ast.parse(f"X = frozenset([{few}])"))
    assert not _word_lists(ast.parse("X = [" + ", ".join(str(i) for i in range(30)) + "]"))
