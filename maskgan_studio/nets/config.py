"""The base of every network config: a frozen dataclass that round-trips through a plain dict."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

C = TypeVar("C", bound="NetConfig")


@dataclasses.dataclass(frozen=True)
class NetConfig:
    """Subclasses are frozen dataclasses of ints and bools; a bundle stores ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls: type[C], data: dict[str, Any]) -> C:
        """Build from ``to_dict()`` output; unknown keys are an error, missing ones take defaults."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")
        return cls(**data)

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type in ("int", int) and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{type(self).__name__}.{field.name} must be an int, got {value!r}")
            if field.type in ("int", int) and value < 1:
                raise ValueError(f"{type(self).__name__}.{field.name} must be at least 1, got {value}")
            if field.type in ("bool", bool) and not isinstance(value, bool):
                raise ValueError(f"{type(self).__name__}.{field.name} must be true or false, got {value!r}")
