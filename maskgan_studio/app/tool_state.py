"""The editor's tool state (active tool, class, brush size): small, observable, shared by views."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QObject, Signal

from maskgan_studio.core.painting import MAX_BRUSH, MIN_BRUSH
from maskgan_studio.labels import MAX_ID


class Tool(Enum):
    BRUSH = "brush"
    ERASER = "eraser"
    FILL = "fill"
    EYEDROPPER = "eyedropper"
    CLONE = "clone"
    HAND = "hand"

    @property
    def uses_brush(self) -> bool:
        return self in (Tool.BRUSH, Tool.ERASER, Tool.CLONE)


class ToolState(QObject):
    tool_changed = Signal(object)
    class_changed = Signal(int)
    size_changed = Signal(int)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._tool = Tool.BRUSH
        self._class_id = 1
        self._size = 24

    @property
    def tool(self) -> Tool:
        return self._tool

    def set_tool(self, tool: Tool) -> None:
        if tool != self._tool:
            self._tool = tool
            self.tool_changed.emit(tool)

    @property
    def class_id(self) -> int:
        return self._class_id

    def set_class(self, class_id: int) -> None:
        class_id = int(min(max(class_id, 0), MAX_ID))
        if class_id != self._class_id:
            self._class_id = class_id
            self.class_changed.emit(class_id)

    @property
    def size(self) -> int:
        return self._size

    def set_size(self, size: int) -> None:
        size = int(min(max(size, MIN_BRUSH), MAX_BRUSH))
        if size != self._size:
            self._size = size
            self.size_changed.emit(size)

    def grow(self) -> None:
        """``]``: about 15 % larger, at least one pixel."""
        self.set_size(max(self._size + 1, round(self._size * 1.15)))

    def shrink(self) -> None:
        """``[``: about 15 % smaller, at least one pixel."""
        self.set_size(min(self._size - 1, round(self._size / 1.15)))
