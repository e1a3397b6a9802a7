"""The project's import graph is a one-way stack (STYLE.md, convention 1).

Layers, lowest first: ``minutebook`` (the kernel) < ``jobs`` < ``boards`` < ``decisions`` <
``collaboration`` < ``finance`` < ``documents`` < ``search`` < ``web``. The kernel knows no app; each domain app imports only
the layers below it; ``web`` sits on top and may import everything. Within the stack no module
may reach itself through its imports, no project module is imported inside a function or class
body (the usual way to dodge a cycle), and no code reaches another app's model through ``_meta``,
``apps.get_model()`` or by unregistering another app's admin.

Project code is every ``.py`` file under the nine packages, migrations and management commands
included; ``tests/``, ``bench/`` and ``manage.py`` are not. The files are read with ``ast`` only:
nothing is imported and no database is used, so the module runs in well under a second.

Which imports count where:
- layering (kernel, upward): every import of a project module, wherever it is written,
  ``if TYPE_CHECKING:`` blocks included (a type hint still makes the lower layer know the upper).
- cycles: every import except those in a module-level ``if TYPE_CHECKING:`` block. Imports
  inside functions count too, so a cycle dodged by a function-level import is still reported.
- ``from pkg import name`` is an edge to ``pkg.name`` when that is a module (``pkg/name.py`` or
  ``pkg/name/``), otherwise to ``pkg`` (its ``__init__.py``). Importing ``pkg.a`` adds no edge
  to ``pkg``: ``pkg/__init__.py`` and ``pkg/b.py`` may both import ``.a`` without a cycle, while
  ``from pkg import Name`` inside ``pkg/a.py`` (with ``pkg/__init__.py`` importing ``.a``) is one.

The last tests run the same checks on small trees written to ``tmp_path``, to show that they
pass on a good tree and find exactly what was planted in a bad one.
"""

from __future__ import annotations

import ast
import functools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = (
    "minutebook",
    "jobs",
    "boards",
    "decisions",
    "collaboration",
    "finance",
    "documents",
    "search",
    "web",
)


@dataclass(frozen=True)
class Import:
    """One edge of the graph: ``importer`` imports ``imported`` at ``path:line``."""

    path: str
    line: int
    importer: str
    imported: str
    nested_in: str | None  # the enclosing def/class, None at module level
    type_checking: bool  # inside a module-level ``if TYPE_CHECKING:`` block

    def __str__(self) -> str:
        where = f" (in {self.nested_in})" if self.nested_in else ""
        return f"{self.path}:{self.line} {self.importer} -> {self.imported}{where}"


# -- reading the tree ------------------------------------------------------------------------


def project_files(root: Path, packages: tuple[str, ...]) -> list[Path]:
    """Every ``.py`` file under the packages that exist in ``root``, sorted."""
    return sorted(
        p for pkg in packages if (root / pkg).is_dir() for p in (root / pkg).rglob("*.py")
    )


def module_name(root: Path, path: Path) -> str:
    """``boards/models/__init__.py`` -> ``boards.models``; ``boards/views.py`` -> ``boards.views``."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(root: Path, name: str) -> bool:
    """Whether ``name`` is a module or package in ``root``: ``a/b.py`` or a directory ``a/b/``."""
    parts = name.split(".")
    return (root.joinpath(*parts[:-1]) / f"{parts[-1]}.py").is_file() or root.joinpath(
        *parts
    ).is_dir()


def absolute_base(importer: str, is_package: bool, level: int, module: str | None) -> str | None:
    """The module a ``from`` statement names, relative levels resolved; None above the top."""
    if level == 0:
        return module
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    if level - 1 >= len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _ImportCollector(ast.NodeVisitor):
    """Collects the project imports of one module, with where each is written."""

    def __init__(self, root: Path, path: Path, packages: tuple[str, ...]) -> None:
        self.root, self.packages = root, packages
        self.path = path.relative_to(root).as_posix()
        self.importer = module_name(root, path)
        self.is_package = path.name == "__init__.py"
        self.scopes: list[str] = []
        self.type_checking = False
        self.found: list[Import] = []

    def add(self, node: ast.stmt, imported: str) -> None:
        if imported.split(".")[0] not in self.packages:
            return
        nested_in = ".".join(self.scopes) or None
        edge = Import(
            self.path, node.lineno, self.importer, imported, nested_in, self.type_checking
        )
        if edge not in self.found:
            self.found.append(edge)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = absolute_base(self.importer, self.is_package, node.level, node.module)
        if base is None:
            return
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            is_sub = alias.name != "*" and is_module(self.root, submodule)
            self.add(node, submodule if is_sub else base)

    def visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scopes.append(node.name)
        self.generic_visit(node)
        self.scopes.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_scope

    def visit_If(self, node: ast.If) -> None:
        if self.scopes or not is_type_checking(node.test):
            self.generic_visit(node)
            return
        self.type_checking = True
        for child in node.body:
            self.visit(child)
        self.type_checking = False
        for child in node.orelse:
            self.visit(child)


@functools.cache
def project_imports(root: Path, packages: tuple[str, ...]) -> tuple[Import, ...]:
    """Every import of a project module written in project code. Reads each file once."""
    found: list[Import] = []
    for path in project_files(root, packages):
        collector = _ImportCollector(root, path, packages)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(collector.found)
    return tuple(found)


# -- the checks ------------------------------------------------------------------------------


def layer(module: str, packages: tuple[str, ...]) -> int:
    return packages.index(module.split(".")[0])


def kernel_imports_of_apps(root: Path, packages: tuple[str, ...]) -> list[str]:
    """Imports written in the kernel (the first package) of any other project package."""
    kernel = packages[0]
    return [
        str(edge)
        for edge in project_imports(root, packages)
        if layer(edge.importer, packages) == 0 and edge.imported.split(".")[0] != kernel
    ]


def upward_imports(root: Path, packages: tuple[str, ...]) -> list[str]:
    """Imports between two top-level packages that do not go down the stack."""
    return [
        str(edge)
        for edge in project_imports(root, packages)
        if edge.importer.split(".")[0] != edge.imported.split(".")[0]
        and layer(edge.importer, packages) <= layer(edge.imported, packages)
    ]


def is_ready_hook(edge: Import) -> bool:
    """An import in an app's ``AppConfig.ready()``: Django's documented place to import what
    needs the models (receivers, signals) once they are loaded."""
    return edge.path.endswith("/apps.py") and (edge.nested_in or "").endswith(".ready")


def nested_imports(root: Path, packages: tuple[str, ...]) -> list[str]:
    """Imports of project modules written inside a function or class body, but for an app's
    ``ready()``."""
    return [
        str(edge)
        for edge in project_imports(root, packages)
        if edge.nested_in and not is_ready_hook(edge)
    ]


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, dict[str, Import]]:
    """module -> {imported module: the first import making that edge}, TYPE_CHECKING left out."""
    graph: dict[str, dict[str, Import]] = {}
    for edge in project_imports(root, packages):
        graph.setdefault(edge.imported, {})
        if not edge.type_checking:
            graph.setdefault(edge.importer, {}).setdefault(edge.imported, edge)
    return graph


def strongly_connected(graph: dict[str, dict[str, Import]]) -> Iterator[list[str]]:
    """Tarjan's components of ``graph``, each as a sorted list of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                yield from visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            yield sorted(component)

    for node in sorted(graph):
        if node not in index:
            yield from visit(node)


def shortest_cycle(graph: dict[str, dict[str, Import]], start: str, within: set[str]) -> list[str]:
    """The shortest chain start -> ... -> start inside ``within`` (breadth first)."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node]):
            if target == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return [*reversed(chain), start]
            if target in within and target not in came_from:
                came_from[target] = node
                queue.append(target)
    raise AssertionError(f"{start} is on no cycle")  # pragma: no cover


def import_cycles(root: Path, packages: tuple[str, ...]) -> list[str]:
    """One cycle per group of modules that import each other, each as a chain of edges."""
    graph = import_graph(root, packages)
    cycles = []
    for component in strongly_connected(graph):
        if len(component) == 1 and component[0] not in graph[component[0]]:
            continue
        chain = shortest_cycle(graph, component[0], set(component))
        steps = [f"    {graph[a][b]}" for a, b in zip(chain, chain[1:], strict=False)]
        cycles.append("\n".join([" -> ".join(chain), *steps]))
    return cycles


def dotted(node: ast.expr) -> str:
    """``admin.site`` for ``admin.site``; ``""`` for anything that is not a dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def meta_reach(node: ast.AST) -> str | None:
    """What ``node`` is, if it reaches a model through the app registry or ``_meta``."""
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "related_model"
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "get_field"
        and dotted(node.value.func.value).endswith("_meta")
    ):
        return "_meta.get_field(...).related_model"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver = dotted(node.func.value)
        if node.func.attr == "get_model" and receiver.endswith("apps"):
            return f"{receiver}.get_model()"
        if node.func.attr == "unregister" and receiver.endswith("site"):
            return f"{receiver}.unregister()"
    return None


def models_reached_through_meta(root: Path, packages: tuple[str, ...]) -> list[str]:
    """Each use of ``meta_reach`` outside migrations, as ``file:line what``."""
    found = []
    for path in project_files(root, packages):
        if "migrations" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            what = meta_reach(node)
            if what:
                found.append(f"{path.relative_to(root).as_posix()}:{node.lineno} {what}")
    return sorted(found, key=lambda s: (s.split(":")[0], int(s.split(":")[1].split()[0])))


def report(title: str, findings: list[str]) -> str:
    return f"{title} ({len(findings)}):\n" + "\n".join(f"  {f}" for f in findings)


# -- the project -----------------------------------------------------------------------------


def test_the_kernel_imports_no_app():
    found = kernel_imports_of_apps(ROOT, LAYERS)
    assert not found, report("minutebook imports an app", found)


def test_no_app_imports_a_layer_above_it():
    found = upward_imports(ROOT, LAYERS)
    assert not found, report("imports up the stack " + " < ".join(LAYERS), found)


def test_the_import_graph_has_no_cycle():
    found = import_cycles(ROOT, LAYERS)
    assert not found, report("import cycles", found)


def test_no_import_inside_a_function_reaches_project_code():
    found = nested_imports(ROOT, LAYERS)
    assert not found, report("project imports inside a function or class", found)


def test_no_model_is_reached_through_meta():
    found = models_reached_through_meta(ROOT, LAYERS)
    assert not found, report("models reached through _meta, the app registry or unregister", found)


def test_the_checks_read_the_real_tree():
    """A guard against passing by reading nothing: the kernel and boards are there and import."""
    importers = {edge.importer for edge in project_imports(ROOT, LAYERS)}
    assert {"boards.models", "boards.admin"} <= importers


# -- the checks themselves, on small trees ---------------------------------------------------

TOY_LAYERS = ("kernel", "low", "high")
GOOD_TREE = {
    "kernel/__init__.py": "",
    "kernel/util.py": "import json\n\n\ndef f():\n    import decimal\n",
    "kernel/sub/__init__.py": "from .. import util\n",
    "low/__init__.py": "",
    "low/models/__init__.py": "from .a import A\nfrom .b import B\n",
    "low/models/a.py": (
        "from typing import TYPE_CHECKING\n\nfrom kernel.util import f\n\n"
        "if TYPE_CHECKING:\n    from .b import B\n\nA = 1\n"
    ),
    "low/models/b.py": "from .a import A\nfrom . import a\n\nB = 2\n",
    "low/services.py": "from kernel import util\nfrom low.models import A\n",
    "low/migrations/__init__.py": "",
    "low/migrations/0001_initial.py": "def forwards(apps, schema_editor):\n"
    "    apps.get_model('low', 'A')\n",
    "high/__init__.py": "",
    "high/views.py": "import low.services\nfrom low.models import A, B\nfrom kernel.sub import util\n",
}
NOTHING = {"kernel": [], "upward": [], "cycles": [], "nested": [], "meta": []}


def findings(root: Path) -> dict[str, list[str]]:
    return {
        "kernel": kernel_imports_of_apps(root, TOY_LAYERS),
        "upward": upward_imports(root, TOY_LAYERS),
        "cycles": import_cycles(root, TOY_LAYERS),
        "nested": nested_imports(root, TOY_LAYERS),
        "meta": models_reached_through_meta(root, TOY_LAYERS),
    }


@pytest.fixture
def tree(tmp_path):
    """``tree(**changes)`` writes the good tree with ``changes`` ({path: source}) and returns it."""

    def write(changes: dict[str, str]) -> Path:
        for name, source in {**GOOD_TREE, **changes}.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(source, encoding="utf-8")
        return tmp_path

    return write


def test_the_checks_pass_on_a_good_tree(tree):
    assert findings(tree({})) == NOTHING


def test_the_checks_resolve_relative_and_submodule_imports(tree):
    edges = {(e.importer, e.imported) for e in project_imports(tree({}), TOY_LAYERS)}
    assert {
        ("kernel.sub", "kernel.util"),
        ("low.models", "low.models.a"),
        ("low.models.b", "low.models.a"),
        ("low.services", "kernel.util"),
        ("low.services", "low.models"),
        ("high.views", "low.services"),
        ("high.views", "low.models"),
    } <= edges
    assert ("low.models.a", "low.models.b") in edges  # read, but left out of the cycle graph


def test_the_checks_find_an_upward_import_and_only_it(tree):
    root = tree({"low/services.py": "from kernel import util\nimport high\n"})
    upward = ["low/services.py:2 low.services -> high"]
    assert findings(root) == {**NOTHING, "upward": upward}


def test_the_checks_find_a_kernel_import_of_an_app_and_only_it(tree):
    root = tree({"kernel/sub/__init__.py": "from .. import util\nimport low\n"})
    edge = ["kernel/sub/__init__.py:2 kernel.sub -> low"]
    assert findings(root) == {**NOTHING, "kernel": edge, "upward": edge}


def test_the_checks_find_a_cycle_through_a_package_init_and_only_it(tree):
    root = tree({"low/models/b.py": "from .a import A\nfrom low.models import A as AA\n"})
    cycle = (
        "low.models -> low.models.b -> low.models\n"
        "    low/models/__init__.py:2 low.models -> low.models.b\n"
        "    low/models/b.py:2 low.models.b -> low.models"
    )
    assert findings(root) == {**NOTHING, "cycles": [cycle]}


def test_the_checks_find_an_import_inside_a_function_and_only_it(tree):
    views = GOOD_TREE["high/views.py"] + "\n\ndef page():\n    from low import services\n"
    root = tree({"high/views.py": views})
    nested = ["high/views.py:7 high.views -> low.services (in page)"]
    assert findings(root) == {**NOTHING, "nested": nested}


def test_the_checks_find_models_reached_through_meta_and_only_them(tree):
    source = (
        "from django.apps import apps\nfrom django.contrib import admin\n\n"
        "M = X._meta.get_field('y').related_model\nN = apps.get_model('a', 'B')\n"
        "admin.site.unregister(M)\n# admin.site.unregister(N) in a comment is fine\n"
    )
    root = tree({"high/admin.py": source})
    meta = [
        "high/admin.py:4 _meta.get_field(...).related_model",
        "high/admin.py:5 apps.get_model()",
        "high/admin.py:6 admin.site.unregister()",
    ]
    assert findings(root) == {**NOTHING, "meta": meta}
