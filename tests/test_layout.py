"""The application's folders are its layers: each imports only from the ones below it, and nothing imports in a circle.

Every import counts, those inside functions too: an import put off to run later still ties two modules together.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lower layers first. A module may import from its own layer and those before it, never from a later one.
LAYERS = [
    (
        "hearings",
        "hearings.domain.languages",
        "hearings.domain.record_text",
        "hearings.domain.text",
        "hearings.domain.grouptree",
    ),
    ("hearings.models",),
    ("hearings.translation", "hearings.domain"),
    ("hearings.pagecache",),
    ("hearings.queries",),
    ("hearings.web", "hearings.templatetags", "opendata"),
    # The import reads the API's serializers, the one description of a record's public shape, so it comes
    # after the open data, with the editors' screens and commands that use it.
    ("hearings.admin", "hearings.domain.importing", "hearings.demo", "hearings.management", "hearings.apps"),
    ("accounts", "config"),
]


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    for top in ("hearings", "opendata", "accounts", "config"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield _module_name(path), path


def _imports(name, path, modules):
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            # `from package import module` depends on the module, not on the package's own code.
            yield from submodules or [base]


def _graph():
    modules = dict(_modules())
    graph = {}
    for name, path in modules.items():
        graph[name] = {target for target in _imports(name, path, modules) if target in modules and target != name}
    return graph


def _layer(module):
    best = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    return None if best is None else best[0]


def test_every_module_has_a_layer():
    assert [name for name in _graph() if _layer(name) is None] == []


def test_no_module_imports_from_a_later_layer():
    wrong = [
        f"{name} imports {target}"
        for name, targets in _graph().items()
        for target in sorted(targets)
        if _layer(target) > _layer(name)
    ]
    assert wrong == []


def test_nothing_imports_in_a_circle():
    # The models of the app are one unit, as Django sees them: its querysets refer to one another's models
    # (a hearing's speakers, an organization's appearances), which is no circle between layers.
    def unit(module):
        return "hearings.models" if module.startswith("hearings.models.") else module

    edges = {}
    for name, targets in _graph().items():
        edges.setdefault(unit(name), set()).update(unit(target) for target in targets if unit(target) != unit(name))
    visiting, done, circles = set(), set(), []

    def visit(node, trail):
        visiting.add(node)
        for target in sorted(edges[node]):
            if target in visiting:
                circles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in done:
                visit(target, [*trail, target])
        visiting.discard(node)
        done.add(node)

    for name in sorted(edges):
        if name not in done:
            visit(name, [name])
    assert circles == []


def test_every_import_of_the_project_names_a_module_that_exists():
    modules = dict(_modules())
    packages = {name.rpartition(".")[0] for name in modules} | set(modules)
    missing = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                top = node.module.split(".")[0]
                if top in ("hearings", "opendata", "accounts", "config") and node.module not in packages:
                    missing.append(f"{name}: from {node.module} import …")
    assert missing == []
