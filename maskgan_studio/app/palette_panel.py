"""The class palette: 19 entries of swatch, name and shortcut in two columns (one in a narrow
dock); picking one picks the brush class. Its height follows its width and font, so that every
class stays visible whatever the window size. A class that takes its style from a gallery face
shows that face as a small badge; a face dropped on a class gives it (and its group) that style."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate, QWidget

from maskgan_studio.app.style_drag import StyleAssigner, dropped_key, thumbnail
from maskgan_studio.app.tool_state import ToolState
from maskgan_studio.labels import CLASSES, FaceClass

ROW_HEIGHT = 26
COLUMN_WIDTH = 120   # narrower than two of these: one column
SHORTCUT_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2   # the pixmap of the face the class takes its style from
BADGE = 18


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


def _tooltip(face_class: FaceClass, style: str = "") -> str:
    return f"{face_class.display_name} (id {face_class.id}, {face_class.name}): press {face_class.shortcut}{style}"


class _ShortcutDelegate(QStyledItemDelegate):
    """Draws the item as usual, then its shortcut right-aligned and muted."""

    def initStyleOption(self, option, index) -> None:
        """Elide the name so it never runs under the shortcut."""
        super().initStyleOption(option, index)
        metrics = option.fontMetrics
        reserved = metrics.horizontalAdvance(index.data(SHORTCUT_ROLE)) + option.decorationSize.width() + 30
        if index.data(BADGE_ROLE) is not None:
            reserved += BADGE + 4
        option.text = metrics.elidedText(option.text, Qt.TextElideMode.ElideRight, option.rect.width() - reserved)

    def paint(self, painter: QPainter, option, index) -> None:
        super().paint(painter, option, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QColor("#ffffff" if selected else "#8b8f98"))
        painter.drawText(option.rect.adjusted(0, 0, -8, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         index.data(SHORTCUT_ROLE))
        badge = index.data(BADGE_ROLE)
        if badge is not None:
            right = option.rect.right() - 12 - option.fontMetrics.horizontalAdvance(index.data(SHORTCUT_ROLE))
            top = option.rect.center().y() - BADGE // 2
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(right - BADGE, top, BADGE, BADGE, badge)
            painter.setPen(QColor(255, 255, 255, 160))
            painter.drawRect(right - BADGE, top, BADGE - 1, BADGE - 1)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 48, max(ROW_HEIGHT, option.fontMetrics.height() + 10))


class PalettePanel(QListWidget):
    """``styles``: the style per region it shows and writes dropped faces into."""

    def __init__(self, state: ToolState, styles: StyleAssigner, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.styles = styles
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
            item.setToolTip(_tooltip(face_class))
            self.addItem(item)
        self.currentRowChanged.connect(self._on_row)
        state.class_changed.connect(self._select)
        self._select(state.class_id)
        self.setAcceptDrops(True)
        styles.document.events.style_map.connect(self._show_styles)
        self._show_styles()

    def _show_styles(self) -> None:
        document = self.styles.document
        for face_class in CLASSES:
            key = document.style_map.source(face_class.id)
            item = self.item(face_class.id)
            face = None if key is None else document.gallery[key]
            item.setData(BADGE_ROLE, None if face is None else thumbnail(face, BADGE * 2))
            item.setToolTip(_tooltip(face_class, "" if face is None else f"; style from {face.name}"))

    def _dropped(self, event) -> tuple[str, int] | None:
        """(face key, class id) of a face dragged over a class, else None."""
        key = dropped_key(event.mimeData(), self.styles.document)
        item = self.itemAt(event.position().toPoint())
        return None if key is None or item is None else (key, self.row(item))

    def dragEnterEvent(self, event) -> None:
        if dropped_key(event.mimeData(), self.styles.document) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._dropped(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        dropped = self._dropped(event)
        if dropped is not None:
            event.acceptProposedAction()
            key, class_id = dropped
            self.styles.assign_class(class_id, key)

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
