"""Plain events for the Qt-free document (napari's EmitterGroup, cut down to what we use).

An ``Event`` is a named list of callbacks; ``emit(**payload)`` calls each with the payload as
keyword arguments. Bound methods are held weakly so a view that goes away stops listening
without having to disconnect; plain functions and lambdas are held strongly.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any


class Event:
    """One kind of change: connect callbacks, emit payloads."""

    def __init__(self, name: str):
        self.name = name
        self._callbacks: list[Callable[[], Callable | None]] = []
        self._blocked = 0

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            self._callbacks.append(weakref.WeakMethod(callback))
        else:
            self._callbacks.append(lambda cb=callback: cb)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks = [ref for ref in self._callbacks if ref() not in (None, callback)]

    def emit(self, **payload: Any) -> None:
        if self._blocked:
            return
        alive = []
        for ref in list(self._callbacks):
            callback = ref()
            if callback is None:
                continue
            alive.append(ref)
            callback(**payload)
        if len(alive) != len(self._callbacks):
            self._callbacks = [ref for ref in self._callbacks if ref() is not None]

    def blocked(self) -> _Blocker:
        """``with event.blocked():`` silences the event (a view writing back without an echo)."""
        return _Blocker(self)


class _Blocker:
    def __init__(self, event: Event):
        self._event = event

    def __enter__(self) -> None:
        self._event._blocked += 1

    def __exit__(self, *exc: object) -> None:
        self._event._blocked -= 1


class EventGroup:
    """A bag of named events: ``events = EventGroup("mask", "settings"); events.mask.emit(...)``."""

    def __init__(self, *names: str):
        for name in names:
            setattr(self, name, Event(name))
