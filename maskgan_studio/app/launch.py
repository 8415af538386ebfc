"""Start the editor: the QApplication, the theme, the first face, the model, the recovery offer.

An image given without a mask (none beside it either) is a photograph: the window opens and
finds, aligns and masks its face in the background (``PhotoOpener``). A ``.maskgan`` project
opens as File > Open would open it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from maskgan_studio import __version__
from maskgan_studio.app.app_settings import AppSettings
from maskgan_studio.app.files import read_face
from maskgan_studio.io.masks import find_mask_beside
from maskgan_studio.app.main_window import MainWindow
from maskgan_studio.app.theme import apply_dark_theme
from maskgan_studio.app.worker import ModelSpec
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.project import SUFFIX, load_project
from maskgan_studio.core.recovery import RecoveryFile
from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.io import read_image
from maskgan_studio.resources import assets_dir


def sample_paths() -> tuple[Path, Path]:
    folder = assets_dir() / "samples"
    return folder / "face.png", folder / "face_mask.png"


def is_project(path: str | None) -> bool:
    return bool(path) and Path(path).suffix.lower() == SUFFIX


def first_document(image: str | None, mask: str | None) -> MaskDocument:
    """The face or project given on the command line, or the bundled sample."""
    if is_project(image):
        if mask:
            raise StudioError(f"--mask is for a face image; {image} is a project, which holds its masks")
        return load_project(image).to_document()
    if image:
        return MaskDocument(*read_face(image, mask))
    face, face_mask = sample_paths()
    if not face.is_file():
        raise StudioError(f"the sample face is missing ({face}); open a face with: maskgan-studio IMAGE --mask MASK")
    return MaskDocument(*read_face(face, face_mask))


def is_photo(image: str | None, mask: str | None) -> bool:
    """An image (not a project) with no mask given and none beside it."""
    return bool(image) and not is_project(image) and not mask and find_mask_beside(Path(image)) is None


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        QCoreApplication.setOrganizationName("MaskGAN Studio")
        QCoreApplication.setApplicationName("MaskGAN Studio")
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(sys.argv[:1])
        icon = assets_dir() / "icon.png"
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
        apply_dark_theme(app)
    return app


def offer_recovery(window: MainWindow, recovery: RecoveryFile) -> bool:
    """After a crash, ask whether to restore the autosaved work; True when restored."""
    if not recovery.exists():
        return False
    answer = QMessageBox.question(
        window, "Recover unsaved work?",
        "MaskGAN Studio did not close properly last time. Restore the work it saved automatically?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        recovery.discard()
        return False
    try:
        state = recovery.load()
    except InputFileError as error:
        QMessageBox.warning(window, "Cannot recover", str(error))
        recovery.discard()
        return False
    try:
        state.apply_to(window.document)
    except StudioError as error:
        QMessageBox.warning(window, "Cannot recover", str(error))
        return False
    window.document.mark_unsaved()
    origin = state.extra.get("origin")
    if origin:
        window.workspace.set_origin(file=Path(origin))
    window.status.showMessage(f"Recovered the unsaved work{f' on {Path(origin).name}' if origin else ''}.", 8000)
    return True


def model_spec(args, app_settings: AppSettings) -> ModelSpec:
    remembered = app_settings.model_spec()
    device = args.device or remembered.device
    backend = getattr(args, "backend", None) or remembered.backend
    if args.model:   # checked by the gui command
        return ModelSpec("file", args.model, device, backend=backend)
    return ModelSpec(remembered.kind, remembered.path, device, backend=backend)


def run(args) -> int:
    app = application()
    photo = read_image(args.image) if is_photo(args.image, args.mask) else None   # unreadable: exit 2
    document = first_document(None, None) if photo is not None else first_document(args.image, args.mask)
    if args.self_test:   # leave the user's settings and recovery file alone
        scratch = tempfile.mkdtemp(prefix="maskgan-self-test-")
        app_settings = AppSettings(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
        recovery = RecoveryFile(Path(scratch) / "recovery.maskgan")
    else:
        app_settings, recovery = AppSettings(), RecoveryFile()
    spec = model_spec(args, app_settings)
    opened_face = args.image and photo is None and not is_project(args.image)
    window = MainWindow(document, app_settings, recovery, origin=Path(args.image).resolve() if opened_face else None)
    if is_project(args.image):
        window.files.adopt_project(Path(args.image))
    if args.self_test:
        from maskgan_studio.app.self_test import SelfTest

        if photo is not None:
            window.photos.open_photo(Path(args.image).resolve(), photo)
        return SelfTest(app, window, spec).run()
    window.show()
    window.load_model(spec)
    if not offer_recovery(window, recovery) and photo is not None:
        window.photos.open_photo(Path(args.image).resolve(), photo)
    return app.exec()
