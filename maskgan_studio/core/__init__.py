"""The Qt-free editing model: mask document, painting operations, undo atoms."""
