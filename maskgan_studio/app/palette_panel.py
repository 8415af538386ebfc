"""The class palette: 19 entries of swatch, name and shortcut in two columns (one in a narrow
dock); picking one picks the brush class. Its height follows its width and font, so that every
class stays visible whatever the window size."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate, QWidget

from maskgan_studio.app.tool_state import ToolState
from maskgan_studio.labels import CLASSES, FaceClass

ROW_HEIGHT = 26
COLUMN_WIDTH = 120   # narrower than two of these: one column
SHORTCUT_ROLE = Qt.ItemDataRole.UserRole + 1


def swatch_icon(face_class: FaceClass, size: int = 16) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(255, 255, 255, 70))
    painter.setBrush(QColor(*face_class.rgb))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class _ShortcutDelegate(QStyledItemDelegate):
    """Draws the item as usual, then its shortcut right-aligned and muted."""

    def initStyleOption(self, option, index) -> None:
        """Elide the name so it never runs under the shortcut."""
        super().initStyleOption(option, index)
        metrics = option.fontMetrics
        reserved = metrics.horizontalAdvance(index.data(SHORTCUT_ROLE)) + option.decorationSize.width() + 30
        option.text = metrics.elidedText(option.text, Qt.TextElideMode.ElideRight, option.rect.width() - reserved)

    def paint(self, painter: QPainter, option, index) -> None:
        super().paint(painter, option, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QColor("#ffffff" if selected else "#8b8f98"))
        painter.drawText(option.rect.adjusted(0, 0, -8, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         index.data(SHORTCUT_ROLE))
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 48, max(ROW_HEIGHT, option.fontMetrics.height() + 10))


class PalettePanel(QListWidget):
    def __init__(self, state: ToolState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("palette")
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(16, 16))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(_ShortcutDelegate(self))
        for face_class in CLASSES:
            item = QListWidgetItem(swatch_icon(face_class), face_class.display_name)
            item.setData(SHORTCUT_ROLE, face_class.shortcut)
            item.setToolTip(f"{face_class.display_name} (id {face_class.id}, {face_class.name}): "
                            f"press {face_class.shortcut}")
            self.addItem(item)
        self.currentRowChanged.connect(self._on_row)
        state.class_changed.connect(self._select)
        self._select(state.class_id)

    def resizeEvent(self, event) -> None:
        self._fit_rows()
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Columns from the width, rows from the font; the height that holds them all."""
        width = self.viewport().width() - 4
        columns = 2 if width >= 2 * COLUMN_WIDTH else 1
        row_height = max(ROW_HEIGHT, self.fontMetrics().height() + 10)
        self.setGridSize(QSize(max(width // columns, COLUMN_WIDTH), row_height))
        rows = -(-len(CLASSES) // columns)
        self.setFixedHeight(rows * row_height + 2 * self.frameWidth() + 8)

    def _on_row(self, row: int) -> None:
        if row >= 0:
            self.state.set_class(row)

    def _select(self, class_id: int) -> None:
        if self.currentRow() != class_id:
            self.setCurrentRow(class_id)
