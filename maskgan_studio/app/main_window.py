"""The main window: composes the views, panels, worker and file handling; owns no pixels itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from maskgan_studio import __version__
from maskgan_studio.app import actions as commands
from maskgan_studio.app.app_settings import AppSettings
from maskgan_studio.app.auto_masker import AutoMasker
from maskgan_studio.app.autosave import Autosave
from maskgan_studio.app.brush_size_widget import BrushSizeWidget
from maskgan_studio.app.exports import Exports
from maskgan_studio.app.files import FileController
from maskgan_studio.app.hold_keys import HoldKeys
from maskgan_studio.app.jobs import BackgroundJobs
from maskgan_studio.app.live_result import LiveResult
from maskgan_studio.app.mask_canvas import MaskCanvas
from maskgan_studio.app.model_panel import ModelPanel
from maskgan_studio.app.palette_panel import PalettePanel
from maskgan_studio.app.photo_opener import PhotoOpener
from maskgan_studio.app.reference_panel import ReferencePanel
from maskgan_studio.app.result_view import ResultView
from maskgan_studio.app.settings_panel import SettingsPanel
from maskgan_studio.app.shortcuts_dialog import ShortcutsDialog
from maskgan_studio.app.status_bar import StatusBar
from maskgan_studio.app.style_drag import CanvasStyleDrops, StyleAssigner
from maskgan_studio.app.style_face_opener import StyleFaceOpener
from maskgan_studio.app.style_panel import StylePanel
from maskgan_studio.app.tool_state import Tool, ToolState
from maskgan_studio.app.tools import ToolController
from maskgan_studio.app.undo import UNDO_LIMIT, StrokeCommand
from maskgan_studio.app.worker import ModelSpec, WorkerThread
from maskgan_studio.app.zoom_view import link_views
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.recovery import RecoveryFile
from maskgan_studio.core.style_gallery import read_style_faces
from maskgan_studio.core.workspace import ModelInfo, Origin, StageResult, Workspace
from maskgan_studio.resources import assets_dir


DOCK_LAYOUT = 1
"""The version of the docks' saved arrangement: a state saved by an editor with another set of
docks (0: before Style per region) is not restored, so the docks start in their default places."""


def _titled(title: str, widget: QWidget) -> QWidget:
    """A view with a small caption above it."""
    box = QWidget()
    caption = QLabel(title)
    caption.setObjectName("caption")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(caption)
    layout.addWidget(widget, 1)
    return box


class MainWindow(QMainWindow):
    def __init__(self, document: MaskDocument, app_settings: AppSettings | None = None,
                 recovery: RecoveryFile | None = None, autosave_ms: int | None = None,
                 origin: Path | None = None):
        """``origin``: the file the face was opened from (None: the sample face)."""
        super().__init__()
        self.document = document
        self.workspace = Workspace(document, Origin(file=origin))
        self.interactive = True   # False (the self-test): errors go to the status bar, never a modal dialog
        self.app_settings = app_settings or AppSettings()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.tool_state = ToolState(self)
        self.tool_state.set_size(self.app_settings.brush_size())
        self.tools = ToolController(document, self.tool_state, self.undo_stack, self)
        self.canvas = MaskCanvas(document, self.tool_state, self.tools)
        self.result_view = ResultView(self.workspace)
        link_views(self.canvas, self.result_view)
        document.gallery.add_all(read_style_faces(assets_dir() / "style_faces", builtin=True))
        self.styles = StyleAssigner(document, self.undo_stack, self)
        self.canvas_drops = CanvasStyleDrops(self.canvas, self.styles)
        self.palette = PalettePanel(self.tool_state, self.styles)
        self.style_panel = StylePanel(document, self.styles)
        self.settings_panel = SettingsPanel(document)
        self.model_panel = ModelPanel()
        self.reference_panel = ReferencePanel(document)
        self.status = StatusBar(document)
        self.setStatusBar(self.status)
        self.worker_thread = WorkerThread()
        self.live = LiveResult(self.workspace, self.worker_thread.worker, self)
        self.jobs = BackgroundJobs(self)
        self.photos = PhotoOpener(self, document, self.jobs, self.live, self.status)
        self.style_faces = StyleFaceOpener(self, document, self.jobs, self.status)
        self.auto_masker = AutoMasker(self, document, self.jobs, self.undo_stack, self.status)
        self.files = FileController(self, self.workspace, self.undo_stack, self.app_settings, self.photos.open_photo)
        self.exports = Exports(self, self.workspace, self.live, self.status)
        self.autosave = Autosave(self.workspace, recovery or RecoveryFile(), **(
            {"interval_ms": autosave_ms} if autosave_ms else {}), parent=self)
        self.actions = commands.build_actions(self)
        self._submenus = commands.build_menus(self, self.actions)
        self._layout()
        self._connect()
        self.hold_keys = HoldKeys(self, self._on_hold)
        self.setAcceptDrops(True)
        self._restore_geometry()
        self._update_title()

    # layout -------------------------------------------------------------------------------
    def _layout(self) -> None:
        self.setWindowTitle("MaskGAN Studio")
        self.setMinimumSize(900, 560)
        self.resize(1440, 880)
        views = QSplitter(Qt.Orientation.Horizontal)
        views.addWidget(_titled("Mask", self.canvas))
        views.addWidget(_titled("Result", self.result_view))
        views.setChildrenCollapsible(False)
        views.setStretchFactor(0, 1)
        views.setStretchFactor(1, 1)
        views.setSizes([10_000, 10_000])
        self.setCentralWidget(views)
        self._dock("Classes", self.palette, "palette_dock")
        self._dock("View and result", self.settings_panel, "settings_dock")
        style_dock = self._dock("Style per region", self.style_panel, "style_dock")
        for title, widget, name in (("Style reference", self.reference_panel, "reference_dock"),
                                    ("Model", self.model_panel, "model_dock")):
            self.tabifyDockWidget(style_dock, self._dock(title, widget, name))
        style_dock.raise_()
        main = QToolBar("Main")
        main.setObjectName("main_toolbar")
        main.setIconSize(QSize(20, 20))
        for key in ("open", "save", "export_image", None, "undo", "redo", "auto_mask", None, "zoom_in", "zoom_out",
                    "zoom_fit", "zoom_actual", None, "show_photo", "highlight_changes", "paste_back", None,
                    "shortcuts"):
            main.addSeparator() if key is None else main.addAction(self.actions[key])
        main.addSeparator()
        main.addWidget(BrushSizeWidget(self.tool_state))
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, main)
        tools = QToolBar("Tools")
        tools.setObjectName("tools_toolbar")
        tools.setIconSize(QSize(22, 22))
        for key in commands.TOOLS:
            tools.addAction(self.actions[key])
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, tools)

    def _dock(self, title: str, widget: QWidget, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self._submenus["panels"].addAction(dock.toggleViewAction())
        return dock

    # wiring -------------------------------------------------------------------------------
    def _connect(self) -> None:
        a, doc, state, live = self.actions, self.document, self.tool_state, self.live
        a["undo"].setEnabled(False)
        a["redo"].setEnabled(False)
        self.undo_stack.canUndoChanged.connect(a["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(a["redo"].setEnabled)
        handlers = {
            "open": self.files.open_dialog, "open_mask": lambda: self.files.open_mask(),
            "save": self.files.save, "save_as": lambda: self.files.save_as(),
            "export_image": lambda: self.exports.export_image(), "export_crop": lambda: self.exports.export_crop(),
            "export_mask": lambda: self.exports.export_mask(), "auto_mask": self.auto_masker.run,
            "export_comparison": lambda: self.exports.export_comparison(), "quit": self.close,
            "undo": self.undo_stack.undo, "redo": self.undo_stack.redo, "reset_edits": self.reset_edits,
            "brush_larger": state.grow, "brush_smaller": state.shrink,
            "zoom_in": self.canvas.zoom_in, "zoom_out": self.canvas.zoom_out,
            "zoom_fit": self.canvas.fit, "zoom_actual": self.canvas.actual_size,
            "show_photo": lambda on: doc.update_settings(show_photo=on),
            "highlight_changes": lambda on: doc.update_settings(highlight_changes=on),
            "paste_back": lambda on: doc.update_settings(paste_back=on),
            "opacity_up": lambda: self._nudge_opacity(0.1), "opacity_down": lambda: self._nudge_opacity(-0.1),
            "refresh": live.request_now, "shortcuts": self.show_shortcuts, "about": self.show_about,
            **{key: (lambda _=False, t=tool: state.set_tool(t)) for key, tool in commands.TOOLS.items()},
            **commands.class_handlers(state.set_class),
        }
        commands.connect(a, handlers)
        state.tool_changed.connect(self._on_tool)
        state.size_changed.connect(self.app_settings.set_brush_size)
        state.size_changed.connect(lambda size: self.status.showMessage(f"Brush {size} px", 1500))
        self._on_tool(state.tool)
        doc.events.settings.connect(self._on_settings)
        doc.events.modified.connect(lambda modified: self._update_title())
        doc.events.source.connect(self._on_source)
        self._on_settings()
        a["export_crop"].setEnabled(doc.photo is not None)
        self.canvas.cursor_moved.connect(self.status.show_cursor)
        self.canvas.zoom_changed.connect(self.status.show_zoom)
        self.settings_panel.split_changed.connect(self.result_view.set_split)
        self.model_panel.model_requested.connect(self.load_model)
        self.reference_panel.load_requested.connect(self.files.open_reference)
        self.style_panel.add_requested.connect(self.style_faces.open_dialog)
        self.style_panel.gallery.files_dropped.connect(self.style_faces.open_paths)
        self.styles.assigned.connect(lambda text: self.status.showMessage(text, 3000))
        self.canvas_drops.hovering.connect(lambda text: self.status.showMessage(text, 1500))
        self.tools.message.connect(lambda text: self.status.showMessage(text, 4000))
        self.workspace.events.origin.connect(self._update_title)
        self.workspace.events.shown.connect(self._on_shown)
        self.files.recent_changed.connect(self._fill_recent)
        self.photos.opened.connect(lambda path: self.files.adopt(Path(path)))
        self.auto_masker.running_changed.connect(lambda running: a["auto_mask"].setEnabled(not running))
        self._fill_recent(self.app_settings.recent_files())
        self.worker_thread.worker.environment.connect(self._on_environment)
        live.failed.connect(self._on_inference_failed)
        live.model_ready.connect(self._on_model_ready)
        live.model_failed.connect(self._on_model_failed)
        self.autosave.failed.connect(self._on_autosave_failed)

    # reactions ----------------------------------------------------------------------------
    @Slot(object)
    def _on_environment(self, environment: dict) -> None:
        """From the worker thread, once torch has loaded: devices and imported models."""
        self.model_panel.set_choices(environment["imported"], environment["devices"], environment["backends"])

    @Slot(str)
    def _on_autosave_failed(self, message: str) -> None:
        self.status.showMessage(message, 6000)

    def _on_tool(self, tool: Tool) -> None:
        for key, candidate in commands.TOOLS.items():
            self.actions[key].setChecked(candidate is tool)

    def _on_settings(self, changed=None) -> None:
        settings = self.document.settings
        for key in ("show_photo", "highlight_changes", "paste_back"):
            action = self.actions[key]
            action.blockSignals(True)
            action.setChecked(getattr(settings, key))
            action.blockSignals(False)

    def _on_source(self) -> None:
        self.actions["export_crop"].setEnabled(self.document.photo is not None)

    def _nudge_opacity(self, delta: float) -> None:
        opacity = min(max(self.document.settings.mask_opacity + delta, 0.0), 1.0)
        self.document.update_settings(mask_opacity=round(opacity, 2))

    def _on_shown(self, result: StageResult) -> None:
        self.status.show_timing(result.stage, result.elapsed_ms)
        if result.notices:
            self.status.showMessage(" · ".join(result.notices), 8000)

    def _on_inference_failed(self, message: str) -> None:
        self.result_view.set_note("The model failed: see the status bar")
        self.status.showMessage(f"Inference failed: {message}", 10000)

    def _on_model_ready(self, spec: ModelSpec, info: ModelInfo) -> None:
        self.status.show_model(info)
        self.model_panel.show_info(info)
        self.model_panel.show_current(spec)
        self.settings_panel.set_strength_available(info.supports_strength)
        self.app_settings.set_model_spec(spec)
        if info.random:
            self.status.showMessage("No trained model is bundled yet: the result uses random weights.", 8000)

    def _on_model_failed(self, message: str) -> None:
        self.model_panel.info.setText(message)
        self.result_view.set_note("No model")
        self.status.showMessage(message, 15000)
        if self.interactive:
            QMessageBox.warning(self, "Cannot load the model", message)

    def _on_hold(self, name: str, held: bool) -> None:
        if name == "hand":
            self.canvas.set_space_held(held)
            self.result_view.set_space_held(held)
        elif name == "compare":
            self.result_view.set_show_source(held)

    def _fill_recent(self, paths: list[str]) -> None:
        menu = self._submenus["recent"]
        menu.clear()
        for path in paths:
            menu.addAction(Path(path).name, lambda p=path: self.files.open_paths([Path(p)])).setToolTip(path)
        menu.setEnabled(bool(paths))
        if paths:
            menu.addSeparator()
            menu.addAction("Clear the list", lambda: (self.app_settings.clear_recent(), self._fill_recent([])))

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.workspace.origin.name}[*] — MaskGAN Studio")
        self.setWindowModified(self.document.modified)

    # commands -----------------------------------------------------------------------------
    def load_model(self, spec: ModelSpec) -> None:
        self.status.model.setText(f"Loading {spec.describe()}…")
        self.result_view.set_note("Loading the model…")
        self.live.load_model(spec)

    def reset_edits(self) -> None:
        atom = self.document.reset_edits()
        if atom is not None:
            self.undo_stack.push(StrokeCommand(self.document, atom))

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions, self).exec()

    def show_about(self) -> None:
        QMessageBox.about(self, "About MaskGAN Studio",
                          f"<b>MaskGAN Studio {__version__}</b><p>Edit faces by painting their semantic mask "
                          "(MaskGAN, CVPR 2020).</p>")

    # window events ------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry, state = self.app_settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, DOCK_LAYOUT)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files.open_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.app_settings.set_geometry(self.saveGeometry(), self.saveState(DOCK_LAYOUT))
        self.app_settings.sync()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the workers and the autosave, removing the recovery file (a clean exit)."""
        self.autosave.shutdown()
        self.jobs.stop()
        self.worker_thread.stop()
