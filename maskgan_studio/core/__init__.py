"""The Qt-free editing model: mask document, painting operations, undo atoms, project files."""

from maskgan_studio.core.document import EditSettings, MaskDocument
from maskgan_studio.core.geometry import Rect
from maskgan_studio.core.photo_frame import PhotoFrame
from maskgan_studio.core.project import ProjectState, load_project, save_project
from maskgan_studio.core.recovery import RecoveryFile
from maskgan_studio.core.strokes import Stroke, StrokeAtom

__all__ = [
    "EditSettings", "MaskDocument", "PhotoFrame", "ProjectState", "RecoveryFile", "Rect", "Stroke", "StrokeAtom",
    "load_project", "save_project",
]
