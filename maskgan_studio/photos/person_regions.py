"""Hair, ears, neck, clothes and background: person segmentation split by colour and by place.

Colour alone cannot tell dark hair from a dark suit, nor place alone long hair from a collar, so
each decision takes both. GrabCut separates hair from the rest of the person, starting from where
hair usually is (beside and above the face, down to the jaw's corners, over the face's rim) and
seeded by the person well above the forehead (and beside the face when a hat or the crop leaves too
little there); hair further down must hang from that, and is not white unless the hair is. What it
leaves near the face is forehead, temples and ears where it looks more like skin than hair; further
out it is hair unless it looks more like the background (the segmenter also takes in hands and
neighbours). Below the jaw, bare skin beside the neck is shoulder, which CelebAMask-HQ leaves as
background; of the rest, what is not hair is split by a second GrabCut into neck, seeded under the
chin and expected where it has the cheeks' colour in the chin's shadow (or is bare skin joined to
it) and is not white, and clothes, seeded by what is not skin beyond the jaw's corners; clothes too
narrow to be a garment are background.
Positions are in the face's own frame (``face_frame``).
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.photos import colour_model
from maskgan_studio.photos.face_frame import EAR_LEVEL, JAW_CORNERS, FaceFrame

NOSE_BOTTOM = 2
NECK_SHADE = (0.75, 1.0, 1.0)
SHADOW_LIGHTNESS_VARIANCE = 30.0**2
"""The neck lies in the chin's shadow: the cheeks' chroma, about a quarter darker (Lab lightness,
0-255 scale), give or take this variance."""
NECK_PRIOR = 8.0
FACE_REACH = 0.25
"""Forehead and ears reach at most this share of the face's height beyond the mesh's oval."""
MIN_CLOTH_RADIUS = 0.08
"""A garment in a head-and-shoulders crop is a broad surface (shirt, jacket, collar): a piece of
clothes with no disk of this radius (share of the face's height) inside it is something else below
the jaw, such as a necklace or strap, strands of hair, specks, or backdrop between hair and a bare
shoulder. CelebAMask-HQ labels none of these clothes and, beside the neck, mostly backdrop or
jewellery (not scored), so they become background. A false piece of clothes costs as much as
missing a garment: on ../shared/real_faces this removed the clothes of the two faces that wear
none (+0.09 each on their mean) and of one whose garment is a sliver (-0.02); every radius from
0.07 to 0.10 gave the same."""
HAIRLINE_V = -1.25
"""The forehead goes on above the mesh's top point (v = -1), to about a quarter of the face's
height above it: hair is sure only higher up."""
SHOULDER_U = 1.2
"""Bare skin below the chin further than this from the centre line (in half jaw widths; the neck
seldom reaches past 1) is a shoulder, and CelebAMask-HQ leaves shoulders as background: on
../shared/real_faces such pixels were background 2.5 times as often as hair and 5 times as often
as neck."""
THROAT_U = 0.5
"""Chin-shadowed skin this close to the centre line is surely neck: the neck GrabCut's seed."""
WHITE_CHROMA = 0.3
"""Below the jaw, a pixel brighter than the cheeks with less than this share of their chroma (Lab
distance from grey) is a white shirt or collar, not neck: lit skin keeps its colour. Under the
chin the neck's prior lets the neck GrabCut take in a white shirt front whose colour is far from
both the neck's and a dark jacket's, so its neck gives such pixels up (they become clothes where
broad enough). On ../shared/real_faces fewer than 60 truly-neck pixels per face passed this test
(under 160 with a share of 0.5), while three faces' white shirts gave over a thousand each: face
08's shirt became clothes (+0.022 on its mean), 07 lost 0.002 (a pearl necklace under the chin),
09 gained 0.001. Taking these pixels out of the neck's seeds as well, before GrabCut, moved 07's
neck model towards the pale chest and lost 0.011 there."""
WHITE_HAIR = 0.5
"""Below the jaw, white pixels (``WHITE_CHROMA``) are hair only when at least this share of the hair
above the forehead is white too. GrabCut's hair model takes in whatever the hair seed holds, a white
logo on a cap for instance, and then claimed a white shirt below the jaw as hanging hair. On
../shared/real_faces the seeds of dark, brown and grey hair were 0-11 % white and blonde hair 63 %;
the rule turned face 02's shirt from hair into clothes (+0.026 on its mean) and changed no other
face by more than 0.001."""
MIN_HAIR_SEED = 0.03
SIDE_U = 1.2
"""Hair is modelled from the person well above the forehead. When that holds fewer pixels than this
share of the face's height squared (a hat covers the head, or the crop cuts it), hair beside the
face between the eyes' and the jaw's level and further than SIDE_U from the centre line seeds it
too. On ../shared/real_faces the seeds held 5.5-30 % on eleven faces and 0.5 % on the face under a
fedora, whose few seed pixels were the hat's: its long hair became clothes below the jaw and ears
beside the face. Seeded from beside the face too, that face's mean rose from 0.56 to 0.66 (any
share from 1 % to 5 % gives the same); seeding every face so lost 0.006 (hands and collars beside
the face became hair)."""
FACE_RIM = 0.1
"""Hair falls over the face's outline at the temples and cheeks: within this share of the face's
height inside the mesh's oval, what looks more like hair than skin is likely hair and may stay hair,
as above the brows. On ../shared/real_faces: +0.003 (0.06 and 0.15 gave the same), from strands at
the temples and, on face 00, a hair model no longer spilling onto the upper forehead."""
IGNORED_COLOUR = (255, 0, 255)
PAINTED_CLASSES = tuple(ID[name] for name in ("background", "skin", "hair", "r_ear", "l_ear", "neck", "cloth"))
"""What ``paint_person_regions`` paints."""


def _disk(radius: int) -> np.ndarray:
    radius = max(int(radius), 1)
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    return cv2.dilate(mask.astype(np.uint8), _disk(radius)) > 0


def _erode(mask: np.ndarray, radius: int) -> np.ndarray:
    return cv2.erode(mask.astype(np.uint8), _disk(radius)) > 0


def _touching(candidates: np.ndarray, anchor: np.ndarray) -> np.ndarray:
    """The connected parts of ``candidates`` that overlap ``anchor``."""
    count, components = cv2.connectedComponents(candidates.astype(np.uint8))
    keep = np.zeros(count, bool)
    keep[np.unique(components[anchor & candidates])] = True
    keep[0] = False
    return keep[components]


def _broad_parts(mask: np.ndarray, radius: int) -> np.ndarray:
    """The connected parts of ``mask`` that hold a disk of ``radius`` pixels."""
    return _touching(mask, _erode(mask, radius))


def _grabcut(rgb: np.ndarray, sure: np.ndarray, likely: np.ndarray, sure_not: np.ndarray,
             ignore: np.ndarray | None = None) -> np.ndarray:
    """GrabCut's foreground from seeds; ``sure_not`` wins over ``sure``, ``sure`` over ``likely``.
    Pixels to ``ignore`` are background whose colours should not shape the background model."""
    seeds = np.where(likely, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    seeds[sure] = cv2.GC_FGD
    seeds[sure_not] = cv2.GC_BGD
    if not (seeds == cv2.GC_FGD).any() or not (seeds == cv2.GC_BGD).any():
        return likely & ~sure_not
    if ignore is not None:  # one flat colour: one of the background model's components, not all five
        rgb = np.where(ignore[..., None], np.array(IGNORED_COLOUR, np.uint8), rgb)
        seeds[ignore] = cv2.GC_BGD
    background_model = np.zeros((1, 65), np.float64)
    foreground_model = np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)  # GrabCut seeds its colour models by k-means: same photo, same mask
    cv2.grabCut(np.ascontiguousarray(rgb[..., ::-1]), seeds, None, background_model, foreground_model,
                3, cv2.GC_INIT_WITH_MASK)
    return (seeds == cv2.GC_FGD) | (seeds == cv2.GC_PR_FGD)


def _skin_test(lab: np.ndarray, sample: np.ndarray, shade=(1.0, 1.0, 1.0),
               lightness_variance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(log-likelihood, passes) of a skin model fitted to ``sample`` (scaled by ``shade``); 97 %
    of the sample passes."""
    model = colour_model.ColourModel(lab[sample] * np.asarray(shade, np.float32),
                                     extra_variance=(lightness_variance, 0.0, 0.0))
    likelihood = model.log_likelihood(lab)
    return likelihood, likelihood > np.percentile(likelihood[sample], 3)


def _white(lab: np.ndarray, cheeks: np.ndarray) -> np.ndarray:
    """Pixels brighter than the cheeks with under WHITE_CHROMA of their chroma: white cloth, not skin."""
    chroma = np.hypot(lab[..., 1] - 128, lab[..., 2] - 128)
    return (lab[..., 0] > np.median(lab[..., 0][cheeks])) & (chroma < WHITE_CHROMA * np.median(chroma[cheeks]))


def cheek_mask(mesh: np.ndarray, oval: np.ndarray, features: np.ndarray) -> np.ndarray:
    """The cheeks between the eyes' and the nose's level: bare skin even on bearded faces."""
    frame = FaceFrame.from_mesh(mesh)
    _, v = frame.coordinates(oval.shape)
    unit = max(2, round(frame.height / 40))
    eye_v = float(frame.v_of(mesh[list(EAR_LEVEL)]).mean())
    nose_v = float(frame.v_of(mesh[[NOSE_BOTTOM]]).mean())
    return _erode(oval, unit) & ~_dilate(features, unit) & (v > eye_v) & (v < nose_v)


def paint_person_regions(labels: np.ndarray, rgb: np.ndarray, mesh: np.ndarray, person: np.ndarray,
                         oval: np.ndarray, features: np.ndarray) -> None:
    """Paint, in place, background, clothes, neck, hair, ears and skin; the inner-face parts go on top later."""
    frame = FaceFrame.from_mesh(mesh)
    u, v = frame.coordinates(labels.shape)
    jaw_v = float(frame.v_of(mesh[list(JAW_CORNERS)]).mean())
    lab = colour_model.to_lab(rgb)
    unit = max(2, round(frame.height / 40))
    person = person | oval

    eye_v = float(frame.v_of(mesh[list(EAR_LEVEL)]).mean())
    cheeks = cheek_mask(mesh, oval, features)
    sample = cheeks if cheeks.any() else oval
    _, skin_like = _skin_test(lab, sample)
    shaded_ll, shaded_skin = _skin_test(lab, sample, NECK_SHADE, SHADOW_LIGHTNESS_VARIANCE)
    any_light_ll, skin_in_any_light = _skin_test(lab, sample, lightness_variance=SHADOW_LIGHTNESS_VARIANCE)

    near_face = _dilate(oval, 2 * unit)
    hair_seed = person & ~near_face & (v < HAIRLINE_V) & ~skin_in_any_light
    if np.count_nonzero(hair_seed) < MIN_HAIR_SEED * frame.height**2:  # a hat, or a crop cutting the top
        beside_cheeks = (v > eye_v) & (v < jaw_v) & (np.abs(u) > SIDE_U)
        hair_seed |= person & ~near_face & beside_cheeks & ~skin_in_any_light
    below_jaw = person & ~oval & (v > jaw_v)
    likely_hair = person & ~oval & (v <= jaw_v) & ~skin_in_any_light
    hair_model = colour_model.fit(lab, hair_seed)
    hair_ll = hair_model.log_likelihood(lab) if hair_model is not None else np.full(v.shape, -np.inf, np.float32)
    looks_like_skin = hair_ll <= any_light_ll
    face_not_hair = oval & looks_like_skin  # in the face oval only what looks more like hair may be hair (bangs)
    rim = oval & ~_erode(oval, round(FACE_RIM * frame.height))
    likely_hair |= rim & ~looks_like_skin  # strands over the temples and cheeks
    hair = person & _grabcut(rgb, hair_seed, likely_hair, cheeks | features | face_not_hair, ignore=~person)
    white = _white(lab, sample)
    if hair_seed.any() and white[hair_seed].mean() < WHITE_HAIR:  # a white shirt is not dark hair
        hair &= ~(white & (v > jaw_v))
    hair = _touching(hair, hair & (v <= jaw_v))  # hair below the jaw hangs from hair above it

    chin_edge = _dilate(oval, unit) & ~oval & (v > jaw_v)
    shoulders = below_jaw & ~hair & skin_in_any_light & (v > 0) & (np.abs(u) > SHOULDER_U)
    rest = below_jaw & ~hair & ~shoulders
    neck = _touching(rest & shaded_skin & (np.abs(u) < 1.3), chin_edge)
    cloth_seed = rest & ~shaded_skin & (np.abs(u) > 1.0)
    cloth_model = colour_model.fit(lab, cloth_seed)
    cloth_ll = cloth_model.log_likelihood(lab) if cloth_model else np.full(v.shape, -np.inf, np.float32)
    # below the jaw, what is not hair is neck or clothes; the neck is expected under the chin
    # (a factor e**NECK_PRIOR), less so towards the jaw's corners, and not beyond them
    neck_prior = NECK_PRIOR - np.maximum(np.abs(u) - 0.6, 0) * 20
    likely_neck = neck | (rest & (v > 0) & (shaded_ll + neck_prior > cloth_ll))
    likely_neck |= _touching(rest & skin_like, likely_neck)  # bare chest counts as neck in CelebAMask-HQ
    # pixel by pixel, the likelihoods leave specks and ragged borders in shadows and patterned
    # cloth; GrabCut keeps the sure parts and settles the rest by colour and smoothness
    neck = rest & _grabcut(rgb, neck & (np.abs(u) < THROAT_U), likely_neck, cloth_seed & ~likely_neck,
                           ignore=~rest)
    neck &= ~white  # a white shirt front GrabCut took in with the neck (WHITE_CHROMA)
    cloth = _broad_parts(rest & ~neck, round(MIN_CLOTH_RADIUS * frame.height))
    not_cloth = rest & ~neck & ~cloth

    labels[:] = ID["background"]
    labels[person] = ID["hair"]
    labels[shoulders | not_cloth] = ID["background"]  # below the jaw, neither neck nor a garment
    background_model = colour_model.fit(lab, ~person)
    if background_model is not None and hair_model is not None:  # the segmenter's stray pixels
        labels[person & ~hair & (background_model.log_likelihood(lab) > hair_ll)] = ID["background"]
    labels[cloth] = ID["cloth"]
    labels[neck] = ID["neck"]
    labels[hair] = ID["hair"]

    # what GrabCut left to the face above the jaw and looks more like skin than hair: forehead
    # above the mesh, temples, ears (fair hair GrabCut missed stays hair)
    face_reach = _dilate(oval, round(FACE_REACH * frame.height))
    beside_face = person & ~oval & ~hair & face_reach & (v <= jaw_v) & looks_like_skin
    skin_outside = _touching(beside_face, _dilate(oval, 1))
    labels[skin_outside] = ID["skin"]
    ears = skin_outside & (v > eye_v - 0.1) & (v < jaw_v) & (np.abs(u) > 0.9)
    labels[ears & (u < 0)] = ID["r_ear"]
    labels[ears & (u >= 0)] = ID["l_ear"]
    bangs = oval & hair & ((v < frame.v_of(mesh[[105, 334]]).mean()) | rim)
    labels[oval & ~bangs] = ID["skin"]
