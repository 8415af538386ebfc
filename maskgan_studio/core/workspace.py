"""The workspace: everything the editor shows and writes, outside Qt (napari's evented model).

It holds the document, where it came from (``Origin``: a file, a project), the loaded model
(``ModelInfo``) and the results the worker drew, each stamped with the inputs it was drawn from
(``ResultStamp``: mask version, style version, engine settings). A request's stages arrive in
order ("preview" first; "final", and on some engines more after it); every stage but a preview
is a finished image and replaces the one before it. ``exportable()`` is the newest finished
image of a request that is done and whose stamp matches the document now: never a preview,
never an image of an older mask. Events on ``workspace.events``:

- ``origin()``: the file or project the work belongs to changed;
- ``model(info)``: a model was loaded (``ModelInfo``) or is loading (None);
- ``shown(result)``: a newer image to show (any stage, including previews);
- ``ready(result)``: a request is done and ``result`` is its newest finished image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.events import EventGroup
from maskgan_studio.core.style_map import StyleMap

PREVIEW_STAGES = frozenset({"preview"})


@dataclass(frozen=True)
class Origin:
    """Where the work lives: the face or photo it was opened from and the project it is saved in."""

    file: Path | None = None
    project: Path | None = None

    @property
    def path(self) -> Path | None:
        """The project when there is one, else the file."""
        return self.project or self.file

    @property
    def name(self) -> str:
        return self.path.name if self.path else "Sample face"

    @property
    def stem(self) -> str:
        return self.path.stem if self.path else "face"


@dataclass(frozen=True)
class ModelInfo:
    """What the worker loaded, in the words the window shows."""

    name: str
    device: str
    precision: str
    resolution: int
    supports_strength: bool = False
    random: bool = False
    backend: str = ""  # what runs the generator: "eager", "compiled" (torch) or "openvino"

    def describe(self) -> str:
        note = " · untrained" if self.random else ""
        backend = " · OpenVINO" if self.backend == "openvino" else ""
        return f"{self.name} · {self.resolution} px · {self.device}{backend} · {self.precision}{note}"


@dataclass(frozen=True)
class ResultStamp:
    """The inputs a result is drawn from; equal stamps draw equal images."""

    mask_version: int
    style_version: int
    paste_back: bool
    feather: int
    strength: float
    photo_texture: bool
    style_map: StyleMap = StyleMap()

    @classmethod
    def of(cls, document: MaskDocument) -> ResultStamp:
        settings = document.settings
        return cls(document.mask_version, document.style_version, settings.paste_back, settings.feather,
                   settings.strength, settings.photo_texture, document.style_map)


@dataclass(frozen=True)
class StageResult:
    """One image of a request: ``seq`` numbers the request, ``stage`` names the step."""

    seq: int
    stage: str
    image: np.ndarray
    elapsed_ms: float
    stamp: ResultStamp
    notices: tuple[str, ...] = ()   # what the engine could not do as asked (a style face lacking a class)

    @property
    def finished(self) -> bool:
        return self.stage not in PREVIEW_STAGES


@dataclass(frozen=True)
class EditFailure:
    """An edit that raised; the worker lives on."""

    seq: int
    message: str


@dataclass(frozen=True)
class ModelFailure:
    """A model that could not be loaded (``what`` names it)."""

    what: str
    message: str


class Workspace:
    def __init__(self, document: MaskDocument, origin: Origin | None = None):
        self.events = EventGroup("origin", "model", "shown", "ready")
        self.document = document
        self.origin = origin or Origin()
        self.model: ModelInfo | None = None
        self.shown: StageResult | None = None       # the newest image on screen, maybe a preview
        self.finished: StageResult | None = None    # the newest finished image
        self.finished_done = False                  # its request has yielded its last stage
        self.done_seq = 0                           # the newest request that is done (answered or failed)

    # where the work came from ------------------------------------------------------------------
    def set_origin(self, file: Path | None = None, project: Path | None = None) -> None:
        self.origin = Origin(Path(file) if file else None, Path(project) if project else None)
        self.events.origin.emit()

    def saved_as(self, project: Path) -> None:
        """The work now lives in ``project`` (the file it came from is still remembered)."""
        self.set_origin(self.origin.file, project)

    # the model ----------------------------------------------------------------------------------
    def set_model(self, info: ModelInfo | None) -> None:
        self.model = info
        self.events.model.emit(info=info)

    # results ------------------------------------------------------------------------------------
    def stamp(self) -> ResultStamp:
        """The stamp a result drawn from the document as it is now would carry."""
        return ResultStamp.of(self.document)

    def offer(self, result: StageResult) -> bool:
        """A stage from the worker; False (dropped) when a newer request is already on screen."""
        if self.shown is not None and result.seq < self.shown.seq:
            return False
        self.shown = result
        if result.finished:
            self.finished, self.finished_done = result, False
        self.events.shown.emit(result=result)
        return True

    def request_done(self, seq: int) -> None:
        """Request ``seq`` has yielded its last stage (or failed)."""
        self.done_seq = max(self.done_seq, seq)
        finished = self.finished
        if finished is not None and finished.seq == seq:
            self.finished_done = True
            self.events.ready.emit(result=finished)

    def exportable(self) -> StageResult | None:
        """The newest finished image, when its request is done and it matches the document now."""
        finished = self.finished
        if finished is None or not self.finished_done or finished.stamp != self.stamp():
            return None
        return finished
