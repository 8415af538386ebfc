"""A face's look: per-class colours and material parameters, sampled as correlated palettes.

Colours are RGB floats in 0-255. Skin tones come from one ramp (light to deep) with an
undertone; hair, brows, iris and lips are drawn from distributions that depend on the skin,
as in real faces; clothes, hats and backgrounds from palettes people wear and photograph.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

import numpy as np

PATTERNS = ("plain", "stripes", "checks", "dots", "knit")
HAIR_CURLS = ("straight", "wavy", "curly")
CROWNS = (0.42, 0.46, 0.5, 0.54, 0.58)  # x of the point the hair strands flow from
NOISE_SEEDS = 4  # textures come from a small bank of fixed noise fields, so they can be cached

_SKIN_RAMP = np.array([(250, 222, 200), (238, 196, 170), (224, 172, 140), (200, 140, 105),
                       (170, 110, 78), (130, 84, 58), (92, 60, 42), (66, 44, 32)], dtype=np.float64)
_HAIR = {  # colour, weight for light skin, weight for deep skin
    "black": ((22, 18, 16), 0.12, 0.75), "dark brown": ((50, 34, 25), 0.22, 0.2),
    "brown": ((92, 62, 40), 0.2, 0.04), "light brown": ((135, 98, 64), 0.12, 0.0),
    "dark blond": ((168, 132, 88), 0.09, 0.0), "blond": ((212, 180, 126), 0.08, 0.0),
    "platinum": ((228, 218, 196), 0.02, 0.0), "auburn": ((120, 54, 32), 0.05, 0.0),
    "copper": ((172, 86, 46), 0.03, 0.0), "grey": ((140, 138, 134), 0.05, 0.01),
    "white": ((214, 212, 206), 0.02, 0.0),
}
_IRIS = {"dark brown": ((58, 34, 22), 0.25, 0.85), "brown": ((98, 60, 32), 0.25, 0.15),
         "hazel": ((122, 96, 52), 0.12, 0.0), "green": ((86, 116, 70), 0.1, 0.0),
         "blue": ((76, 118, 168), 0.2, 0.0), "grey": ((118, 128, 138), 0.08, 0.0)}
_CLOTHES = np.array([(20, 20, 22), (235, 235, 230), (120, 120, 124), (30, 40, 70), (60, 90, 140),
                     (150, 30, 40), (90, 25, 40), (80, 90, 50), (200, 180, 150), (110, 70, 45),
                     (200, 160, 170), (150, 190, 210), (230, 200, 90), (40, 100, 80), (170, 80, 40)])
_BACKGROUNDS = np.array([(235, 235, 232), (200, 200, 198), (120, 120, 125), (40, 40, 45), (180, 195, 210),
                         (90, 110, 140), (210, 190, 160), (140, 150, 110), (60, 70, 60), (170, 120, 110),
                         (230, 215, 200), (20, 25, 40)])
_METALS = np.array([(212, 175, 90), (196, 196, 200), (190, 125, 120), (236, 230, 216), (40, 40, 40)])
_LIPSTICKS = np.array([(175, 30, 45), (205, 95, 120), (125, 30, 60), (190, 120, 110)])


@dataclass
class Style:
    skin: list
    lip: list
    hair: list
    hair_tip: list  # highlight colour of the hair
    brow: list
    iris: list
    sclera: list
    teeth: list
    mouth: list
    cloth: list
    cloth_alt: list
    cloth_pattern: str
    hat: list
    hat_alt: list
    hat_pattern: str
    pattern_scale: float  # period of cloth and hat patterns at 512 px
    pattern_angle: float
    frame: list  # eyeglasses frame
    lens: list  # lens tint
    lens_opacity: float
    metal: list  # earrings and necklaces
    background: list
    background_alt: list
    background_angle: float
    light: list  # (x, y) direction the light comes from, in the image plane
    light_strength: float
    hair_curl: str
    crown: int  # index into CROWNS
    gaze: list  # iris offset in eye widths
    blush: float
    noise_seed: int

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Style:
        names = {f.name for f in fields(cls)}
        missing = names - set(data)
        if missing:
            raise ValueError(f"style is missing {sorted(missing)}")
        return cls(**{k: data[k] for k in names})

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Style:
        return cls.from_dict(json.loads(text))


def _rgb(values) -> list:
    return [round(float(v), 2) for v in np.clip(values, 0, 255)]


def _pick(rng, table: dict, depth: float) -> np.ndarray:
    colours = np.array([c for c, _, _ in table.values()], dtype=np.float64)
    weights = np.array([(1 - depth) * light + depth * deep for _, light, deep in table.values()])
    return colours[rng.choice(len(colours), p=weights / weights.sum())]


def _jitter(rng, colour, amount) -> np.ndarray:
    return np.asarray(colour, dtype=np.float64) * rng.uniform(1 - amount, 1 + amount) + rng.normal(0, 4, 3)


def random_style(rng: np.random.Generator) -> Style:
    depth = float(rng.beta(1.2, 1.6))  # 0 = lightest skin, 1 = deepest
    position = depth * (len(_SKIN_RAMP) - 1)
    low = min(int(position), len(_SKIN_RAMP) - 2)
    skin = _SKIN_RAMP[low] + (position - low) * (_SKIN_RAMP[low + 1] - _SKIN_RAMP[low])
    skin = skin + rng.uniform(-1, 1) * np.array([6, 0, -6]) + rng.uniform(-1, 1) * np.array([-3, 5, -3])
    old = rng.random() < 0.12
    hair = np.array(_HAIR["grey" if rng.random() < 0.5 else "white"][0]) if old else _pick(rng, _HAIR, depth)
    if rng.random() < 0.03:
        hair = rng.uniform(40, 220, 3)  # dyed
    hair = _jitter(rng, hair, 0.1)
    lip = skin * np.array([0.86, 0.56, 0.58]) + np.array([18, 0, 6])
    if rng.random() < 0.25:
        lip = 0.75 * _LIPSTICKS[rng.integers(len(_LIPSTICKS))] + 0.25 * lip
    cloth, cloth_alt = _CLOTHES[rng.choice(len(_CLOTHES), 2, replace=False)]
    hat, hat_alt = _CLOTHES[rng.choice(len(_CLOTHES), 2, replace=False)]
    background, background_alt = _BACKGROUNDS[rng.choice(len(_BACKGROUNDS), 2, replace=False)]
    angle = rng.uniform(-np.pi, np.pi)
    tint = rng.choice([0.0, 0.2, 0.6], p=[0.6, 0.25, 0.15])
    return Style(
        skin=_rgb(skin),
        lip=_rgb(_jitter(rng, lip, 0.06)),
        hair=_rgb(hair),
        hair_tip=_rgb(hair * 0.6 + np.array([240, 225, 200]) * 0.4),
        brow=_rgb(hair * 0.55 + np.array([20, 15, 12]) if hair.mean() < 150 else hair * 0.6),
        iris=_rgb(_jitter(rng, _pick(rng, _IRIS, depth), 0.12)),
        sclera=_rgb(rng.uniform(220, 245) * np.array([1.0, 0.97, 0.95])),
        teeth=_rgb(rng.uniform(215, 240) * np.array([1.0, 0.97, 0.9])),
        mouth=_rgb(np.array([95, 30, 35]) * rng.uniform(0.7, 1.1)),
        cloth=_rgb(_jitter(rng, cloth, 0.12)),
        cloth_alt=_rgb(_jitter(rng, cloth_alt, 0.12)),
        cloth_pattern=str(rng.choice(PATTERNS, p=[0.5, 0.2, 0.1, 0.1, 0.1])),
        hat=_rgb(_jitter(rng, hat, 0.12)),
        hat_alt=_rgb(_jitter(rng, hat_alt, 0.12)),
        hat_pattern=str(rng.choice(PATTERNS, p=[0.55, 0.15, 0.05, 0.05, 0.2])),
        pattern_scale=round(float(rng.uniform(10, 40)), 2),
        pattern_angle=round(float(rng.choice([0.0, np.pi / 2, rng.uniform(0, np.pi)])), 3),
        frame=_rgb(_CLOTHES[rng.choice([0, 0, 9, 2, 5])] * rng.uniform(0.6, 1.0)),
        lens=_rgb([40, 40, 45] if tint > 0.5 else rng.uniform(150, 230, 3)),
        lens_opacity=float(tint),
        metal=_rgb(_METALS[rng.integers(len(_METALS))]),
        background=_rgb(_jitter(rng, background, 0.15)),
        background_alt=_rgb(_jitter(rng, background_alt, 0.15) if rng.random() < 0.6 else background),
        background_angle=round(float(angle), 3),
        light=[round(float(v), 3) for v in (rng.uniform(-0.8, 0.8), rng.uniform(-0.9, -0.2))],
        light_strength=round(float(rng.uniform(0.5, 0.9)), 3),
        hair_curl=str(rng.choice(HAIR_CURLS, p=[0.6, 0.25, 0.15] if depth < 0.6 else [0.3, 0.3, 0.4])),
        crown=int(rng.integers(len(CROWNS))),
        gaze=[round(float(v), 3) for v in (rng.normal(0, 0.06), rng.normal(0, 0.03))],
        blush=round(float(rng.uniform(0.0, 0.5)), 3),
        noise_seed=int(rng.integers(NOISE_SEEDS)),
    )
