"""Whether Qt can open a window here, asked before Qt is started (it would abort the process).

Without a display, or with the xcb platform plugin's system libraries missing, Qt prints several
lines and aborts (SIGABRT). ``display_problem()`` finds those cases first and says in one line
what is missing; it imports no Qt module.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

# The Debian/Ubuntu packages of the libraries the xcb plugin links beyond a minimal system.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1", "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6", "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1", "libfontconfig.so.1": "libfontconfig1", "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
OFFSCREEN_HINT = "QT_QPA_PLATFORM=offscreen runs gui --self-test without one"


def _xcb_plugin() -> Path | None:
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(list(spec.submodule_search_locations)[0]) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(library: Path) -> list[str]:
    """The shared libraries ``library`` needs that the dynamic loader cannot find."""
    if shutil.which("ldd"):
        listed = subprocess.run(["ldd", str(library)], capture_output=True, text=True).stdout
        return sorted({line.split()[0] for line in listed.splitlines() if "not found" in line})
    try:
        ctypes.CDLL(str(library), mode=os.RTLD_LAZY)
    except OSError as error:   # "libxcb-icccm.so.4: cannot open shared object file: ..."
        return [str(error).split(":")[0]]
    return []


def _cannot_connect(display: str) -> bool:
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return False   # reported as a missing library
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    failed = xcb.xcb_connection_has_error(connection) != 0
    xcb.xcb_disconnect(connection)
    return failed


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """One line saying why no window can open here (Linux's xcb platform), or None."""
    environ = os.environ if environ is None else environ
    platform = environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or (platform and not platform.startswith("xcb")):
        return None
    display = environ.get("DISPLAY", "")
    if not display:
        if environ.get("WAYLAND_DISPLAY") and not platform:
            return None   # Qt tries its Wayland plugin
        return f"no display to open the window on (DISPLAY is not set): run it on a desktop or under xvfb-run; " \
               f"{OFFSCREEN_HINT}"
    plugin = _xcb_plugin()
    missing = missing_libraries(plugin) if plugin is not None else []
    if missing:
        packages = sorted({XCB_PACKAGES.get(name, name) for name in missing})
        return (f"the window's Qt platform plugin (xcb) needs system libraries that are missing: {', '.join(missing)} "
                f"(Debian/Ubuntu: apt-get install {' '.join(packages)}); {OFFSCREEN_HINT}")
    if _cannot_connect(display):
        return f"cannot connect to the display {display}: is an X server running there?; {OFFSCREEN_HINT}"
    return None
