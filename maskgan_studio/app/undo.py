"""Undo commands: each wraps one core stroke atom (changed rectangle, before and after)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.strokes import StrokeAtom

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


def history_bytes(stack) -> int:
    """Memory held by the undo history (the atoms' compressed pixels)."""
    total = 0
    for index in range(stack.count()):
        command = stack.command(index)
        if isinstance(command, StrokeCommand):
            total += command.atom.nbytes
    return total
