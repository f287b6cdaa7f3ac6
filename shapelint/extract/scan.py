"""Small syntactic scans over a block, used before a loop body is walked."""

from __future__ import annotations

import libcst as cst


class _BlockScan(cst.CSTVisitor):
    def __init__(self) -> None:
        self.assigned: set[str] = set()
        self.jumps = False

    def _target(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self.assigned.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value)
        elif isinstance(node, cst.StarredElement):
            self._target(node.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        return False

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._target(node.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            name: cst.BaseExpression = node.name
            while isinstance(name, cst.Attribute):
                name = name.value
            if isinstance(name, cst.Name):
                self.assigned.add(name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Break(self, node: cst.Break) -> None:
        self.jumps = True

    def visit_Continue(self, node: cst.Continue) -> None:
        self.jumps = True

    def visit_Return(self, node: cst.Return) -> None:
        self.jumps = True

    def visit_Raise(self, node: cst.Raise) -> None:
        self.jumps = True


class _YieldScan(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def is_generator(fn: cst.FunctionDef) -> bool:
    scan = _YieldScan()
    fn.body.visit(scan)
    return scan.found


def scan_block(node: cst.CSTNode) -> tuple[set[str], bool]:
    """Names a block may assign, and whether it may leave early (break/continue/return/raise)."""
    scan = _BlockScan()
    node.visit(scan)
    return scan.assigned, scan.jumps


class _GlobalScan(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Global(self, node: cst.Global) -> None:
        self.names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.names.update(item.name.value for item in node.names)


def global_names(module: cst.Module) -> set[str]:
    """Names some function rebinds with ``global``/``nonlocal``: their value is never known."""
    scan = _GlobalScan()
    module.visit(scan)
    return scan.names
