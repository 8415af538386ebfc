"""Photographic faces from MobileStyleGAN, the generator the ``random-face`` wheel carries.

``random-face`` 2021.7.21.1 ships MobileStyleGAN (arXiv 2104.04767, distilled from StyleGAN2
trained on FFHQ) as two OpenVINO IR v10 graphs in ``random_face/data``: the mapping network (512
normal numbers -> a 512-d style) and the synthesis network (style -> 1x3x1024x1024 RGB in
[-1, 1]). The package's own code needs OpenVINO's removed ``IECore`` API, so it is never
imported: its data files are found with ``importlib.util.find_spec``, which does not run it.

The graphs run with ``ir_graph.IRGraph`` (torch, any device) or, on the CPU where ``openvino`` is
installed, with OpenVINO at float32 precision (the two agree within 1e-5; OpenVINO's default
bf16 hint on CPUs that have it would not). Face ``i`` of seed ``s`` draws its normal numbers from
``SeedSequence([s, i])``, so a face never depends on which others are drawn with it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from maskgan_studio.errors import StudioError
from maskgan_studio.generated.ir_graph import IRGraph

PACKAGE = "random-face==2021.7.21.1"
INSTALL_HINT = f'pip install --no-deps "{PACKAGE}"'
MISSING = f"the face generator is not installed (for it: {INSTALL_HINT})"
NAME = "MobileStyleGAN (random-face 2021.7.21.1)"
STYLE_DIM = 512
MEAN_SAMPLES = 4096  # as the package: the truncation centre is the mean style of this many
MEAN_SEED = 0
GRAPHS = ("MappingNetwork", "SynthesisNetwork")


def data_folder() -> Path | None:
    """``random_face/data`` when the wheel is installed and holds both graphs, else None."""
    spec = importlib.util.find_spec("random_face")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "data"
    wanted = [folder / f"{graph}.{suffix}" for graph in GRAPHS for suffix in ("xml", "bin")]
    return folder if all(path.is_file() for path in wanted) else None


def require_data_folder() -> Path:
    folder = data_folder()
    if folder is None:
        raise StudioError(MISSING)
    return folder


def face_latents(seed: int, indices) -> np.ndarray:
    """float32 (N, 512): the normal numbers of faces ``indices`` of run ``seed``."""
    return np.stack([np.random.default_rng(np.random.SeedSequence([seed, int(i)])).standard_normal(STYLE_DIM)
                     for i in indices]).astype(np.float32)


def openvino_available() -> bool:
    return importlib.util.find_spec("openvino") is not None


class _OpenVinoGraph:
    """One graph compiled by OpenVINO for the CPU at float32, reshaped to each batch size."""

    def __init__(self, xml: Path):
        import openvino

        self.core = openvino.Core()
        self.model = self.core.read_model(xml, xml.with_suffix(".bin"))
        self.compiled = {}

    def __call__(self, data: torch.Tensor) -> torch.Tensor:
        batch = data.shape[0]
        if batch not in self.compiled:
            self.model.reshape([batch, STYLE_DIM])
            self.compiled[batch] = self.core.compile_model(self.model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
        return torch.from_numpy(self.compiled[batch](data.numpy())[0].copy())


class FaceGenerator:
    """MobileStyleGAN with style truncation: ``faces(seed, indices)`` -> uint8 RGB images."""

    name = NAME

    def __init__(self, device: str | torch.device = "cpu", truncation: float = 0.7, runtime: str = "auto",
                 folder: Path | None = None):
        folder = folder or require_data_folder()
        self.device = torch.device(device)
        if runtime == "auto":
            runtime = "openvino" if self.device.type == "cpu" and openvino_available() else "torch"
        if runtime not in ("torch", "openvino"):
            raise ValueError(f"unknown runtime {runtime!r}")
        if runtime == "openvino" and self.device.type != "cpu":
            raise StudioError("the openvino runtime runs on the CPU only; use --device cpu or the torch runtime")
        self.runtime = runtime
        self.truncation = truncation
        mapping_xml, synthesis_xml = (folder / f"{graph}.xml" for graph in GRAPHS)
        if runtime == "openvino":
            self.mapping, self.synthesis = _OpenVinoGraph(mapping_xml), _OpenVinoGraph(synthesis_xml)
        else:
            self.mapping = IRGraph(mapping_xml).to(self.device).eval()
            self.synthesis = IRGraph(synthesis_xml).to(self.device).eval()
        self.style_mean = self._style_mean()

    def _run(self, graph, data: torch.Tensor) -> torch.Tensor:
        with torch.inference_mode():
            return graph(data if self.runtime == "openvino" else data.to(self.device))

    def _style_mean(self) -> torch.Tensor:
        latents = np.random.default_rng(MEAN_SEED).standard_normal((MEAN_SAMPLES, STYLE_DIM)).astype(np.float32)
        chunks = [self._run(self.mapping, torch.from_numpy(chunk)) for chunk in np.split(latents, 8)]
        return torch.cat(chunks).mean(dim=0, keepdim=True)

    def styles(self, seed: int, indices) -> torch.Tensor:
        styles = self._run(self.mapping, torch.from_numpy(face_latents(seed, indices)))
        return self.style_mean + self.truncation * (styles - self.style_mean)

    def faces(self, seed: int, indices, size: int | None = None) -> np.ndarray:
        """uint8 (N, S, S, 3) RGB, S = 1024 or ``size`` (area-filtered on the generator's device)."""
        images = self._run(self.synthesis, self.styles(seed, indices))
        if size is not None and size != images.shape[-1]:
            images = F.interpolate(images, size=(size, size), mode="area")
        scaled = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
        return scaled.permute(0, 2, 3, 1).cpu().numpy()
