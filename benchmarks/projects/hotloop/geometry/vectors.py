import math
from collections import namedtuple

Vector = namedtuple("Vector", "x y")


def norm(vector: Vector) -> float:
    return math.hypot(vector.x, vector.y)
