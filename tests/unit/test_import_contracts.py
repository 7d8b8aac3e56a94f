"""What each part of Luukku may import, read from the source (ast) rather than trusted.

- Only the store talks to the database library: no module outside ``luukku.store``
  imports ``sqlalchemy`` (the store translates its driver errors into ``store.errors``).
- The SDK (``luukku-client``: ``sdk/src``) installs alone, so it imports nothing of the hub.
- No import circle: the modules' imports (but those only for type checking) form no
  cycle, however long.
- Each layer imports only what its contract allows (one table of arrows, below).
- The bench (top-level ``bench/``) reaches the hub only as its users and operators do:
  the SDK, the ``luukku`` command (a subprocess) and the store's bulk loader with the
  values it takes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HUB, SDK = REPO / "src", REPO / "sdk" / "src"
"""Where the ``luukku`` namespace package's modules live: the hub's, and the SDK's."""


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in (HUB, SDK):
        for path in sorted((root / "luukku").rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imported(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> Iterator[str]:
    """The module names an import statement loads.

    ``from package import a, b`` where ``a`` and ``b`` are submodules loads those;
    where any of them is a name defined in the package, the package itself.
    """
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
    yield from submodules
    if len(submodules) < len(node.names):
        yield base


def _imports(module: str, path: Path, *, for_typing_too: bool) -> Iterator[str]:
    """Every import of a module, at any depth; ``if TYPE_CHECKING:`` ones only if asked."""
    tree = ast.parse(path.read_text(), str(path))
    typing_only: set[int] = set()
    if not for_typing_too:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) in _TYPE_CHECKING:
                body = ast.Module(body=node.body, type_ignores=[])
                typing_only.update(id(inner) for inner in ast.walk(body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in typing_only:
            yield from _imported(node, module, path)


_TYPE_CHECKING = frozenset({"TYPE_CHECKING", "typing.TYPE_CHECKING"})


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_contract_checks_can_see_the_modules_and_their_imports() -> None:
    assert "luukku.store.uow" in MODULES
    uow = set(_imports("luukku.store.uow", MODULES["luukku.store.uow"], for_typing_too=True))
    assert {"sqlalchemy", "luukku.store.errors"} <= uow
    assert _circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_no_module_outside_the_store_imports_sqlalchemy() -> None:
    leaks = sorted(
        f"{name} imports {imported}"
        for name, path in MODULES.items()
        if not (name == "luukku.store" or name.startswith("luukku.store."))
        for imported in _imports(name, path, for_typing_too=True)
        if imported == "sqlalchemy" or imported.startswith("sqlalchemy.")
    )
    assert leaks == []


def test_the_sdk_imports_nothing_of_the_hub() -> None:
    sdk_modules = {name for name, path in MODULES.items() if path.is_relative_to(SDK)}
    assert {"luukku.client", "luukku.v1", "luukku.verify"} <= sdk_modules
    reaching = sorted(
        f"{name} imports {imported}"
        for name in sdk_modules
        for imported in _imports(name, MODULES[name], for_typing_too=True)
        if imported.startswith("luukku.") and imported not in sdk_modules
    )
    assert reaching == []


def test_no_two_modules_of_luukku_import_each_other_even_through_others() -> None:
    # Imports inside functions count too: one put there to dodge a circle still is one.
    graph = {
        # A package's __init__ re-exporting its own names (``from luukku.cli._common import
        # x`` is fine; ``from luukku.cli import x`` in luukku/cli/__init__.py names itself).
        name: {
            imported
            for imported in _imports(name, path, for_typing_too=False)
            if imported in MODULES and imported != name
        }
        for name, path in MODULES.items()
    }
    assert _circles(graph) == []


@dataclass(frozen=True)
class Contract:
    """What the modules of one layer may import: none of ``forbidden``; and, when ``only``
    is given, nothing of Luukku beyond it and the layer itself.

    A forbidden package inside the layer (``domain`` forbidding ``domain.desks``) binds
    the layer's other modules: the package's own may import each other.
    """

    layer: str
    forbidden: frozenset[str] = frozenset()
    only: frozenset[str] | None = None


_LIBRARIES = {"grpc", "sqlalchemy", "starlette"}


def _contract(layer: str, *, forbids: str = "", only: str | None = None) -> Contract:
    def named(names: str) -> frozenset[str]:
        return frozenset(n if n in _LIBRARIES else f"luukku.{n}" for n in names.split())

    return Contract(f"luukku.{layer}", named(forbids), None if only is None else named(only))


# The arrows, one layer a line: what it must never import, or all of Luukku it may.
CONTRACTS = [
    _contract("domain", forbids="grpc sqlalchemy domain.desks", only=""),
    _contract("store", forbids="service server web portal workspace client cli"),
    _contract("store.sql", only="store.errors"),
    _contract(
        "store.desks", forbids="store.audit", only="domain store.sql store.errors store.message_log"
    ),
    _contract("store.audit", forbids="store.desks", only="audit domain store.sql"),
    _contract("store.callers", only="domain store.sql store.errors"),
    _contract("service", forbids="server web portal workspace client cli"),
    _contract("service.access", only="domain store audit"),
    _contract("service.audit", forbids="service.desks"),
    _contract("service.desks", forbids="service.audit"),
    _contract("audit", forbids="server service web portal workspace client cli"),
    _contract("server", forbids="web portal workspace cli starlette"),
    _contract("server.gate", forbids="server.api server.live server.app"),
    _contract("server.live", forbids="server.gate server.app"),
    _contract("server.api.convert", forbids="server.gate server.live server.blocking server.app"),
    _contract("web", only="client"),
    _contract("portal", only="client web"),
    _contract("workspace", only="client web"),
    _contract("client", only="v1 verify"),
    _contract("verify", only=""),
]


def _within(name: str, packages: frozenset[str]) -> str | None:
    return next((p for p in packages if name == p or name.startswith(p + ".")), None)


def _broken(contract: Contract) -> list[str]:
    """Each import of the layer that its contract does not allow."""
    broken = []
    for module, path in MODULES.items():
        if _within(module, frozenset({contract.layer})) is None:
            continue
        if _within(module, contract.forbidden) is not None:
            continue
        for name in _imports(module, path, for_typing_too=True):
            allowed = (contract.only or frozenset()) | {contract.layer}
            if _within(name, contract.forbidden) is not None or (
                contract.only is not None
                and name.startswith("luukku.")
                and _within(name, allowed) is None
            ):
                broken.append(f"{module} imports {name}")
    return sorted(broken)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.layer)
def test_each_layer_imports_only_what_its_contract_allows(contract: Contract) -> None:
    assert any(_within(m, frozenset({contract.layer})) for m in MODULES), "stale contract"
    assert _broken(contract) == []


def test_a_contract_sees_a_forbidden_arrow(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def later():\n    from luukku.store.uow import Store\n")
    MODULES["luukku.domain.probe"] = probe
    try:
        broken = _broken(_contract("domain", forbids="store"))
    finally:
        del MODULES["luukku.domain.probe"]
    assert broken == ["luukku.domain.probe imports luukku.store.uow"]


def test_a_package_the_layer_forbids_binds_only_the_layers_other_modules(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from luukku.domain.desks.inquiries import Inquiry\n")
    MODULES["luukku.domain.probe"] = MODULES["luukku.domain.desks.probe"] = probe
    try:
        broken = _broken(_contract("domain", forbids="domain.desks"))
    finally:
        del MODULES["luukku.domain.probe"], MODULES["luukku.domain.desks.probe"]
    assert broken == ["luukku.domain.probe imports luukku.domain.desks.inquiries"]


BENCH_MAY_IMPORT = frozenset(
    {
        "luukku.client",
        "luukku.verify",
        "luukku.v1",
        "luukku.store.bulk",
        # The values the bulk loader takes.
        "luukku.domain.caller",
        "luukku.domain.cases",
        "luukku.domain.consents",
        "luukku.audit.events",
        # Citizens' tokens: the development issuer signs them, as `luukku demo issuer` does.
        "luukku.pki.dev_issuer",
        "luukku.cli.demo_command",
        # bench.citizen_token measures the broker's token check itself, in process, as a
        # component: its CPU per call is the figure issue 20 asks for, apart from the call.
        "luukku.server.gate.citizen_token",
        "luukku.server.gate.issuer_keys",
    }
)


def test_the_bench_reaches_the_hub_only_through_its_public_surfaces() -> None:
    bench = sorted((REPO / "bench").rglob("*.py"))
    assert len(bench) > 10
    reaching = sorted(
        f"{path.relative_to(REPO)} imports {imported}"
        for path in bench
        for imported in _imports(f"bench.{path.stem}", path, for_typing_too=True)
        if imported.startswith("luukku") and _within(imported, BENCH_MAY_IMPORT) is None
    )
    assert reaching == []
