"""Auto mask: a 19-class mask for an aligned face crop, by the best method available.

- ``landmarks``: mediapipe's face mesh gives exact polygons for the inner face; person
  segmentation, colour models and GrabCut give hair, ears, neck, clothes and background, cleared
  of specks (``region_cleanup``); dark lenses over both eyes become eyeglasses.
- ``parser``: a BiSeNet face parser (``79999_iter.pth`` or a bundle's parser).
- ``template``: CelebA-HQ's average layout refined from the photo (needs nothing extra).
``auto`` takes the parser when one is given, else landmarks when mediapipe is installed and finds
the face, else the template.
"""

from __future__ import annotations

import numpy as np

from maskgan_studio.errors import StudioError
from maskgan_studio.labels import ID
from maskgan_studio.photos import colour_model, face_parts, mediapipe_models
from maskgan_studio.photos.eyewear import sunglasses
from maskgan_studio.photos.face_frame import FaceFrame
from maskgan_studio.photos.person_regions import PAINTED_CLASSES, cheek_mask, paint_person_regions
from maskgan_studio.photos.region_cleanup import clean_regions
from maskgan_studio.photos.template import template_mask

MASK_METHODS = ("auto", "landmarks", "template", "parser")


def landmark_mask(crop: np.ndarray) -> np.ndarray | None:
    """The mask from the face mesh and person segmentation, or None when the mesh finds no face."""
    mesh = mediapipe_models.mesh_points(crop)
    if mesh is None:
        return None
    shape = crop.shape[:2]
    oval = face_parts.polygon_mask(shape, face_parts.face_oval(mesh))
    parts = face_parts.part_masks(shape, mesh)
    features = np.logical_or.reduce(list(parts.values()))
    person = (mediapipe_models.person_probability(crop) > 0.5) | oval
    labels = np.zeros(shape, np.uint8)
    paint_person_regions(labels, crop, mesh, person, oval, features)
    clean_regions(labels, PAINTED_CLASSES, FaceFrame.from_mesh(mesh).height)
    eyes = {name: parts[name] for name in ("l_eye", "r_eye")}
    lenses = sunglasses(colour_model.to_lab(crop)[..., 0], mesh, eyes, cheek_mask(mesh, oval, features))
    if lenses is not None:
        parts["l_eye"] = parts["r_eye"] = np.zeros(shape, bool)
    face_parts.paint_face_parts(labels, parts)
    if lenses is not None:
        labels[lenses] = ID["eye_g"]
    return labels


def auto_mask(crop: np.ndarray, method: str = "auto", parser=None) -> tuple[np.ndarray, str]:
    """``(labels, method that ran)`` for an aligned uint8 RGB crop.

    ``parser`` is a loaded ``FaceParser`` (``photos.parser_model.load_parser``) or None.
    """
    if method not in MASK_METHODS:
        raise ValueError(f"unknown mask method {method!r}; choose from {', '.join(MASK_METHODS)}")
    if method == "parser" or (method == "auto" and parser is not None):
        if parser is None:
            raise StudioError("the parser method needs a face parser model (--model PATH to 79999_iter.pth)")
        from maskgan_studio.photos.parser_model import parse_crop

        return parse_crop(parser, crop), "parser"
    if method == "landmarks" and not mediapipe_models.available():
        raise StudioError(f"the landmarks method needs mediapipe: {mediapipe_models.MISSING}")
    if method in ("landmarks", "auto") and mediapipe_models.available():
        labels = landmark_mask(crop)
        if labels is not None:
            return labels, "landmarks"
        if method == "landmarks":
            raise StudioError("the face mesh found no face in the aligned crop")
    return template_mask(crop), "template"
