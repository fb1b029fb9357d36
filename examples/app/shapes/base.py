import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    name: str

    def area(self) -> float:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{type(self).__name__.lower()} {self.name}"


@dataclass(frozen=True)
class Circle(Shape):
    radius: float = 1.0

    def area(self) -> float:
        return math.pi * self.radius**2


@dataclass(frozen=True)
class Rectangle(Shape):
    width: float = 1.0
    height: float = 1.0

    def area(self) -> float:
        return self.width * self.height
