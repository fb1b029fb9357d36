"""Shapes and their areas."""

from .base import Shape
from .registry import default_shapes

__all__ = ["Shape", "area_table", "default_shapes"]


def area_table(shapes):
    return [(shape.describe(), shape.area()) for shape in shapes]
