"""Each layer imports only what it may: one table of arrows, checked on every module's source.

Read from the source with ``ast`` (every import, at the top of a module or inside a
function), so an arrow is caught even where it is only taken at run time.
``test_portal_boundary.py`` checks the same for the portal by what it loads.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import luukku

PACKAGE = Path(luukku.__file__).parent


@dataclass(frozen=True)
class Contract:
    """What the modules of one layer may import: none of ``forbidden``, and, when ``only``
    is given, nothing of the hub (``luukku.*``) beyond it and the layer itself."""

    layer: str
    forbidden: frozenset[str] = frozenset()
    only: frozenset[str] | None = None


THIRD_PARTY = {"grpc", "sqlalchemy"}


def _contract(layer: str, *, forbids: str = "", only: str | None = None) -> Contract:
    """A contract from names: a layer of the hub names ``luukku.<it>``, a library itself."""

    def named(names: str) -> frozenset[str]:
        return frozenset(n if n in THIRD_PARTY else f"luukku.{n}" for n in names.split())

    return Contract(f"luukku.{layer}", named(forbids), None if only is None else named(only))


# The arrows, one layer a line: what it must never import, or all of the hub it may.
CONTRACTS = [
    _contract("domain", forbids="grpc sqlalchemy store service server portal client"),
    _contract("store", forbids="service server portal client cli"),
    _contract("service", forbids="server portal client cli"),
    _contract("audit", forbids="server service portal"),
    _contract("server", forbids="portal cli"),
    _contract("portal", only="client"),
    _contract("client", only="v1"),
]

# Arrows the code takes today against its contract: (importing module, imported package).
KNOWN_EXCEPTIONS = {
    ("luukku.service.audit_verification", "luukku.client"),  # mended on branch store-sdk
    ("luukku.portal.signin", "luukku.domain"),  # mended on branch store-sdk
}


def _modules(layer: str) -> dict[str, Path]:
    folder = PACKAGE.joinpath(*layer.split(".")[1:])
    return {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(
            ".__init__"
        ): path
        for path in sorted(folder.rglob("*.py"))
    }


def _imported(module: str, path: Path) -> set[str]:
    """Every module name an import in ``path`` names (``from a import b`` names a and a.b)."""
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, packages: frozenset[str]) -> str | None:
    """The package of ``packages`` that ``name`` is, or is inside."""
    return next((p for p in packages if name == p or name.startswith(p + ".")), None)


def _broken(contract: Contract) -> set[tuple[str, str]]:
    """(module, package) for each import of the layer that its contract does not allow."""
    broken = set()
    for module, path in _modules(contract.layer).items():
        for name in _imported(module, path):
            if (package := _within(name, contract.forbidden)) is not None:
                broken.add((module, package))
            elif (
                contract.only is not None
                and name.startswith("luukku.")
                and _within(name, contract.only | {contract.layer}) is None
            ):
                broken.add((module, ".".join(name.split(".")[:2])))
    return broken


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.layer)
def test_each_layer_imports_only_what_its_contract_allows(contract: Contract) -> None:
    assert _modules(contract.layer), f"{contract.layer} has no modules: the contract is stale"
    assert sorted(_broken(contract) - KNOWN_EXCEPTIONS) == []


def test_every_known_exception_is_still_taken_so_a_mended_one_leaves_the_table() -> None:
    taken = set().union(*map(_broken, CONTRACTS))
    assert sorted(KNOWN_EXCEPTIONS - taken) == []


def test_the_contracts_see_a_forbidden_arrow(tmp_path: Path) -> None:
    """The reader itself: absolute, relative and function-level imports are all arrows."""
    module = tmp_path / "mod.py"
    module.write_text(
        "import sqlalchemy.orm\n"
        "from luukku import client\n"
        "from .. import store\n"
        "def later():\n"
        "    from luukku.server.app import Broker\n"
    )
    names = _imported("luukku.domain.mod", module)
    forbidden = frozenset({"sqlalchemy", "luukku.client", "luukku.store", "luukku.server"})
    assert {_within(n, forbidden) for n in names} - {None} == forbidden
