"""Model bundles (.safetensors) and the published checkpoint layout."""

from maskgan_studio.checkpoints.bundle import FORMAT_VERSION, read_bundle_info, save_bundle
from maskgan_studio.checkpoints.loading import file_kind, load_model
from maskgan_studio.checkpoints.locations import BUNDLED_NAME, bundled_model_path, imported_models_dir
from maskgan_studio.checkpoints.model import COMPONENTS, CheckpointError, Model, random_model
from maskgan_studio.checkpoints.published import infer_dmn_config

__all__ = [
    "BUNDLED_NAME",
    "COMPONENTS",
    "FORMAT_VERSION",
    "CheckpointError",
    "Model",
    "bundled_model_path",
    "file_kind",
    "imported_models_dir",
    "infer_dmn_config",
    "load_model",
    "random_model",
    "read_bundle_info",
    "save_bundle",
]
