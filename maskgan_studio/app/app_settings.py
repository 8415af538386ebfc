"""What the editor remembers between runs (QSettings): recent files, model, device, brush, geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from maskgan_studio.app.worker import ModelSpec

MAX_RECENT = 10


class AppSettings:
    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else QSettings()

    def recent_files(self) -> list[str]:
        value = self.store.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if Path(str(v)).exists()]

    def add_recent(self, path: str | Path) -> list[str]:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.store.setValue("recent_files", recent[:MAX_RECENT])
        return recent[:MAX_RECENT]

    def clear_recent(self) -> None:
        self.store.setValue("recent_files", [])

    def model_spec(self) -> ModelSpec:
        kind = str(self.store.value("model/kind", "bundled"))
        path = str(self.store.value("model/path", ""))
        device = str(self.store.value("model/device", "auto"))
        backend = str(self.store.value("model/backend", "auto"))
        if kind not in ("bundled", "random", "file") or (kind == "file" and not Path(path).is_file()):
            kind, path = "bundled", ""
        return ModelSpec(kind, path, device, backend=backend)

    def set_model_spec(self, spec: ModelSpec) -> None:
        if spec.kind in ("bundled", "random", "file"):
            self.store.setValue("model/kind", spec.kind)
            self.store.setValue("model/path", spec.path)
        self.store.setValue("model/device", spec.device)
        self.store.setValue("model/backend", spec.backend)

    def brush_size(self, default: int = 24) -> int:
        try:
            return int(self.store.value("brush/size", default))
        except (TypeError, ValueError):
            return default

    def set_brush_size(self, size: int) -> None:
        self.store.setValue("brush/size", int(size))

    def geometry(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.store.value("window/geometry"), self.store.value("window/state")

    def set_geometry(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def sync(self) -> None:
        self.store.sync()
