import math

from .vectors import Vector, norm


def circle_area(radius: float) -> float:
    return math.pi * radius * radius + norm(Vector(0, 0))
