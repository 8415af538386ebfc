"""What a press, drag and release of the pointer do to the document, per tool.

Coordinates arrive in mask pixels (floats). A brush-type stroke becomes one undo command when the
button is released; Shift+click draws a straight line from the previous click.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from maskgan_studio.app.tool_state import Tool, ToolState
from maskgan_studio.app.undo import StrokeCommand
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.painting import Point, label_at
from maskgan_studio.core.strokes import Stroke

_LABELS = {Tool.BRUSH: "Brush", Tool.ERASER: "Eraser", Tool.CLONE: "Copy from reference", Tool.FILL: "Fill"}


class ToolController(QObject):
    message = Signal(str)

    def __init__(self, document: MaskDocument, state: ToolState, undo_stack: QUndoStack,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.state = state
        self.undo_stack = undo_stack
        self._stroke: Stroke | None = None
        self._last: Point | None = None
        self._anchor: Point | None = None

    @property
    def stroking(self) -> bool:
        return self._stroke is not None

    def press(self, point: Point, shift: bool = False) -> None:
        tool = self.state.tool
        if tool is Tool.EYEDROPPER:
            picked = label_at(self.document.edited_mask, point)
            if picked is not None:
                self.state.set_class(picked)
            return
        if tool is Tool.CLONE and self.document.reference_mask is None:
            self.message.emit("Load a style reference first: this tool copies from its mask.")
            return
        if tool is Tool.FILL:
            stroke = Stroke(self.document, _LABELS[tool])
            stroke.fill(point, self.state.class_id)
            self._push(stroke)
            return
        if not tool.uses_brush:
            return
        self._stroke = Stroke(self.document, _LABELS[tool] + (" line" if shift and self._anchor else ""))
        start = self._anchor if shift and self._anchor is not None else point
        self._last = start
        self._segment(start, point)
        self._last = point

    def move(self, point: Point) -> None:
        if self._stroke is None or self._last is None:
            return
        self._segment(self._last, point)
        self._last = point

    def release(self) -> None:
        if self._stroke is None:
            return
        self._anchor = self._last
        stroke, self._stroke = self._stroke, None
        self._push(stroke)

    def _segment(self, p0: Point, p1: Point) -> None:
        tool, size = self.state.tool, self.state.size
        if tool is Tool.BRUSH:
            self._stroke.paint(p0, p1, size, self.state.class_id)
        elif tool is Tool.ERASER:
            self._stroke.erase(p0, p1, size)
        elif tool is Tool.CLONE:
            self._stroke.clone(p0, p1, size)

    def _push(self, stroke: Stroke) -> None:
        atom = stroke.finish()
        if atom is not None:
            self.undo_stack.push(StrokeCommand(self.document, atom))
