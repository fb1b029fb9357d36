from .base import Circle, Rectangle


def default_shapes():
    return [Circle("wheel", 2.0), Rectangle("door", 0.9, 2.1), Rectangle("tile", 0.3, 0.3)]
