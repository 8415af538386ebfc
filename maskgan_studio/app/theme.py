"""The dark theme: a Fusion palette plus a style sheet, one accent colour throughout."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#4f8cff"
BASE = "#1e1f24"
WINDOW = "#26282e"
PANEL = "#2d3037"
TEXT = "#e3e5ea"
MUTED = "#8b8f98"
BORDER = "#3a3d45"

STYLE_SHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QWidget {{ color: {TEXT}; font-size: 10pt; }}
QToolTip {{ background: {PANEL}; color: {TEXT}; border: 1px solid {BORDER}; padding: 4px 6px; }}
QMenuBar {{ background: {WINDOW}; border-bottom: 1px solid {BORDER}; }}
QMenuBar::item {{ padding: 4px 10px; background: transparent; }}
QMenuBar::item:selected {{ background: {PANEL}; border-radius: 4px; }}
QMenu {{ background: {PANEL}; border: 1px solid {BORDER}; padding: 4px; }}
QMenu::item {{ padding: 5px 28px 5px 24px; border-radius: 4px; }}
QMenu::item:selected {{ background: {ACCENT}; color: white; }}
QMenu::separator {{ height: 1px; background: {BORDER}; margin: 4px 8px; }}
QToolBar {{ background: {WINDOW}; border: none; spacing: 2px; padding: 4px; }}
QToolBar::separator {{ background: {BORDER}; width: 1px; height: 1px; margin: 4px 6px; }}
QToolButton {{ border: 1px solid transparent; border-radius: 6px; padding: 5px; }}
QToolButton:hover {{ background: {PANEL}; border-color: {BORDER}; }}
QToolButton:checked {{ background: {ACCENT}; border-color: {ACCENT}; }}
QToolButton:disabled {{ color: {MUTED}; }}
QDockWidget {{ titlebar-close-icon: none; }}
QDockWidget::title {{ background: {WINDOW}; padding: 7px 10px; text-transform: uppercase;
    font-weight: 600; color: {MUTED}; border-bottom: 1px solid {BORDER}; }}
QDockWidget > QWidget {{ background: {BASE}; }}
QLabel#caption {{ background: {WINDOW}; color: {MUTED}; padding: 5px 10px; font-weight: 600;
    border-bottom: 1px solid {BORDER}; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#thumbnail {{ background: {WINDOW}; border: 1px solid {BORDER}; border-radius: 6px; color: {MUTED}; }}
QStatusBar {{ background: {WINDOW}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QStatusBar QLabel {{ color: {MUTED}; padding: 0 10px; border-left: 1px solid {BORDER}; }}
QStatusBar QLabel[warning="true"] {{ color: #ffb74d; }}
QSplitter::handle {{ background: {BORDER}; width: 1px; }}
QTreeWidget, QListWidget {{ background: {BASE}; border: none; outline: none; }}
QListWidget::item {{ padding: 2px 4px; border-radius: 4px; }}
QListWidget::item:hover {{ background: {PANEL}; }}
QListWidget::item:selected {{ background: {ACCENT}; color: white; }}
QTreeWidget::item {{ padding: 3px 4px; border-radius: 4px; }}
QTreeWidget::item:hover {{ background: {PANEL}; }}
QTreeWidget::item:selected {{ background: {ACCENT}; color: white; }}
QHeaderView::section {{ background: {WINDOW}; color: {MUTED}; border: none; padding: 4px 6px; }}
QPushButton {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 6px; padding: 5px 12px; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:pressed {{ background: {ACCENT}; }}
QPushButton:disabled {{ color: {MUTED}; }}
QComboBox, QSpinBox {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 6px; padding: 4px 8px;
    min-height: 18px; }}
QComboBox:hover, QSpinBox:hover {{ border-color: {ACCENT}; }}
QComboBox QAbstractItemView {{ background: {PANEL}; border: 1px solid {BORDER};
    selection-background-color: {ACCENT}; }}
QSlider::groove:horizontal {{ height: 4px; background: {BORDER}; border-radius: 2px; }}
QSlider::sub-page:horizontal {{ background: {ACCENT}; border-radius: 2px; }}
QSlider::handle:horizontal {{ background: {TEXT}; width: 14px; height: 14px; margin: -5px 0;
    border-radius: 7px; }}
QSlider::sub-page:horizontal:disabled {{ background: {MUTED}; }}
QSlider::handle:horizontal:disabled {{ background: {MUTED}; }}
QCheckBox::indicator {{ width: 15px; height: 15px; border: 1px solid {BORDER}; border-radius: 4px;
    background: {PANEL}; }}
QCheckBox::indicator:checked {{ background: {ACCENT}; border-color: {ACCENT}; }}
QScrollBar:vertical, QScrollBar:horizontal {{ background: {BASE}; border: none; width: 10px; height: 10px; }}
QScrollBar::handle {{ background: {BORDER}; border-radius: 4px; min-height: 24px; min-width: 24px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
"""


def apply_dark_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: WINDOW, QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE, QPalette.ColorRole.AlternateBase: PANEL,
        QPalette.ColorRole.Text: TEXT, QPalette.ColorRole.Button: PANEL,
        QPalette.ColorRole.ButtonText: TEXT, QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: PANEL,
        QPalette.ColorRole.ToolTipText: TEXT, QPalette.ColorRole.PlaceholderText: MUTED,
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(MUTED))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)
