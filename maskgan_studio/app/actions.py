"""Every command of the editor as a QAction, declared in one table, and the menus built from it.

The table is also what Help > Keyboard shortcuts lists, so a shortcut cannot go undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from maskgan_studio.app.icons import icon
from maskgan_studio.app.tool_state import Tool
from maskgan_studio.labels import CLASSES

Keys = QKeySequence.StandardKey


@dataclass(frozen=True)
class Command:
    key: str
    text: str
    shortcuts: tuple = ()
    icon: str = ""
    checkable: bool = False
    tip: str = ""


MENUS: dict[str, list[Command | None]] = {
    "&File": [
        Command("open", "&Open…", (Keys.Open,), "mdi6.folder-open-outline", tip="Open a face, a mask or a project"),
        Command("open_mask", "Open &mask…", ("Ctrl+Shift+O",), "mdi6.layers-outline",
                tip="Replace the edited mask with a mask file (undoable)"),
        Command("recent", "Open &recent"),
        None,
        Command("save", "&Save project", (Keys.Save,), "mdi6.content-save-outline"),
        Command("save_as", "Save project &as…", ("Ctrl+Shift+S",)),
        None,
        Command("export_image", "&Export edited image…", ("Ctrl+E",), "mdi6.export",
                tip="Export the edited image (a face cut from a photo goes back into the whole photo)"),
        Command("export_crop", "Export edited &face crop…", ("Ctrl+Alt+Shift+E",), "mdi6.crop",
                tip="Export the edited face as the editor shows it (the aligned crop of a photo)"),
        Command("export_mask", "Export edited mas&k…", ("Ctrl+Shift+E",)),
        Command("export_comparison", "Export &comparison…", ("Ctrl+Alt+E",), "mdi6.file-compare"),
        None,
        Command("quit", "&Quit", (Keys.Quit, "Ctrl+Q")),
    ],
    "&Edit": [
        Command("undo", "&Undo", (Keys.Undo,), "mdi6.undo"),
        Command("redo", "&Redo", ("Ctrl+Shift+Z", Keys.Redo), "mdi6.redo"),
        None,
        Command("reset_edits", "Reset all &edits", ("Ctrl+Shift+R",), "mdi6.restore",
                tip="Back to the source mask (undoable)"),
        Command("auto_mask", "&Auto mask", ("Ctrl+M",), "mdi6.auto-fix",
                tip="Mask the face automatically (undoable); then correct it by painting"),
        Command("classes", "Paint &class"),
    ],
    "&Tools": [
        Command("tool_brush", "&Brush", ("B",), "mdi6.brush", True, "Paint the selected class"),
        Command("tool_eraser", "&Eraser", ("E",), "mdi6.eraser", True, "Restore the source mask"),
        Command("tool_fill", "&Fill", ("G",), "mdi6.format-color-fill", True, "Fill a connected region"),
        Command("tool_eyedropper", "E&yedropper", ("I",), "mdi6.eyedropper", True, "Pick the class under the pointer"),
        Command("tool_clone", "&Copy from reference", ("S",), "mdi6.stamper", True,
                "Paint the style reference's mask (its mouth, its hair…)"),
        Command("tool_hand", "&Hand", ("H",), "mdi6.hand-back-right-outline", True, "Pan (or hold Space)"),
        None,
        Command("brush_larger", "&Larger brush", ("]",)),
        Command("brush_smaller", "&Smaller brush", ("[",)),
    ],
    "&View": [
        Command("zoom_in", "Zoom &in", (Keys.ZoomIn, "Ctrl+="), "mdi6.magnify-plus-outline"),
        Command("zoom_out", "Zoom &out", (Keys.ZoomOut,), "mdi6.magnify-minus-outline"),
        Command("zoom_fit", "&Fit to window", ("Ctrl+0",), "mdi6.fit-to-screen-outline"),
        Command("zoom_actual", "&Actual size (100 %)", ("Ctrl+1",), "mdi6.aspect-ratio"),
        None,
        Command("show_photo", "&Photo under the mask", ("P",), "mdi6.image-outline", True),
        Command("highlight_changes", "&Highlight changed pixels", ("D",), "mdi6.vector-difference", True,
                "Show only the pixels you changed"),
        Command("opacity_up", "Mask opacity +10 %", (".",)),
        Command("opacity_down", "Mask opacity −10 %", (",",)),
        None,
        Command("panels", "Pa&nels"),
    ],
    "&Result": [
        Command("paste_back", "&Paste back unchanged regions", (), "mdi6.image-filter-center-focus", True),
        Command("refresh", "&Redraw the result", ("F5",), "mdi6.refresh"),
    ],
    "&Help": [
        Command("shortcuts", "&Keyboard shortcuts", ("F1", "Ctrl+/"), "mdi6.keyboard-outline"),
        Command("about", "&About MaskGAN Studio"),
    ],
}

SUBMENUS = {"recent", "classes", "panels"}
TOOLS = {"tool_brush": Tool.BRUSH, "tool_eraser": Tool.ERASER, "tool_fill": Tool.FILL,
         "tool_eyedropper": Tool.EYEDROPPER, "tool_clone": Tool.CLONE, "tool_hand": Tool.HAND}

HELD_KEYS = [
    ("Space (hold) + drag", "Pan (hand)"),
    ("Middle button + drag", "Pan"),
    ("Ctrl + wheel", "Zoom around the pointer"),
    ("Shift + click", "Straight line from the previous click"),
    ("C (hold)", "Show the source photo in the result"),
]


def _sequences(shortcuts: tuple) -> list[QKeySequence]:
    found: list[QKeySequence] = []
    for shortcut in shortcuts:
        if isinstance(shortcut, str):
            found.append(QKeySequence(shortcut))
        else:
            found.extend(QKeySequence.keyBindings(shortcut))
    unique: list[QKeySequence] = []
    for sequence in found:
        if not sequence.isEmpty() and sequence not in unique:
            unique.append(sequence)
    return unique


def build_actions(window: QMainWindow) -> dict[str, QAction]:
    """One QAction per command (submenus excluded), plus ``class_<id>`` for the 19 classes."""
    actions: dict[str, QAction] = {}
    for commands in MENUS.values():
        for command in commands:
            if command is None or command.key in SUBMENUS:
                continue
            action = QAction(command.text, window)
            action.setObjectName(command.key)
            action.setShortcuts(_sequences(command.shortcuts))
            action.setCheckable(command.checkable)
            if command.icon:
                action.setIcon(icon(command.icon))
            tip = command.tip or command.text.replace("&", "").rstrip("…")
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            action.setStatusTip(tip)
            window.addAction(action)
            actions[command.key] = action
    tool_group = QActionGroup(window)
    for key in TOOLS:
        tool_group.addAction(actions[key])
    for face_class in CLASSES:
        action = QAction(face_class.display_name, window)
        action.setObjectName(f"class_{face_class.id}")
        action.setShortcut(QKeySequence(face_class.shortcut))
        window.addAction(action)
        actions[f"class_{face_class.id}"] = action
    return actions


def build_menus(window: QMainWindow, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """The menu bar; returns the submenus (recent, classes, panels) for the window to fill."""
    submenus: dict[str, QMenu] = {}
    for title, commands in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for command in commands:
            if command is None:
                menu.addSeparator()
            elif command.key in SUBMENUS:
                submenus[command.key] = menu.addMenu(command.text)
            else:
                menu.addAction(actions[command.key])
    for face_class in CLASSES:
        submenus["classes"].addAction(actions[f"class_{face_class.id}"])
    return submenus


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(section, command, keys) for every action with a shortcut, then the held keys."""
    rows = []
    for title, commands in MENUS.items():
        for command in commands:
            if command is None or command.key not in actions:
                continue
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in actions[command.key].shortcuts())
            if keys:
                rows.append((title.replace("&", ""), command.text.replace("&", "").rstrip("…"), keys))
    for face_class in CLASSES:
        rows.append(("Classes", face_class.display_name, face_class.shortcut))
    rows += [("Pointer", text, keys) for keys, text in HELD_KEYS]
    return rows


def connect(actions: dict[str, QAction], handlers: dict[str, object]) -> None:
    """Wire ``triggered``/``toggled`` of each action to its handler."""
    for key, handler in handlers.items():
        action = actions[key]
        (action.toggled if action.isCheckable() and key not in TOOLS else action.triggered).connect(handler)


def class_handlers(select) -> dict[str, object]:
    return {f"class_{c.id}": partial(_ignore_checked, select, c.id) for c in CLASSES}


def _ignore_checked(select, class_id: int, *_checked) -> None:
    select(class_id)
