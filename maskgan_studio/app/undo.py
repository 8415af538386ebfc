"""Undo commands: a stroke (one core stroke atom: changed rectangle, before and after) or a
change of the style per region (the style map before and after)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.strokes import StrokeAtom
from maskgan_studio.core.style_map import StyleMap

UNDO_LIMIT = 1000


class StrokeCommand(QUndoCommand):
    """The stroke is already painted when it is pushed, so the first ``redo`` does nothing."""

    def __init__(self, document: MaskDocument, atom: StrokeAtom):
        super().__init__(atom.label)
        self.document = document
        self.atom = atom
        self._painted = True

    def redo(self) -> None:
        if self._painted:
            self._painted = False
            return
        self.document.apply_atom(self.atom, undo=False)

    def undo(self) -> None:
        self.document.apply_atom(self.atom, undo=True)


class StyleMapCommand(QUndoCommand):
    """Which face some classes take their style from; pushing it applies it."""

    def __init__(self, document: MaskDocument, after: StyleMap, label: str):
        super().__init__(label)
        self.document = document
        self.before = document.style_map
        self.after = after

    def redo(self) -> None:
        self.document.set_style_map(self.after)

    def undo(self) -> None:
        self.document.set_style_map(self.before)


def history_bytes(stack) -> int:
    """Memory held by the undo history (the atoms' compressed pixels)."""
    total = 0
    for index in range(stack.count()):
        command = stack.command(index)
        if isinstance(command, StrokeCommand):
            total += command.atom.nbytes
    return total
