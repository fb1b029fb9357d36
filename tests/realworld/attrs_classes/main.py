"""attrs: generated methods, validators, converters, slots, frozen, asdict, evolve."""

import pickle

import attr
import attrs


@attrs.define
class Point:
    x: int = attrs.field(converter=int)
    y: int = attrs.field(default=0, validator=attrs.validators.ge(0))

    def norm1(self):
        return abs(self.x) + abs(self.y)


@attrs.frozen
class Line:
    start: Point
    end: Point = attrs.Factory(lambda: Point(0, 0))


@attr.s(auto_attribs=True, slots=False, order=True)
class Legacy:
    name: str
    tags: list = attr.ib(factory=list)


p = Point("3", 4)
print(p, p.norm1(), attrs.asdict(p), attrs.astuple(p))
print(attrs.evolve(p, y=9), p == Point(3, 4), Line(p) == Line(Point(3, 4)))
try:
    Point(1, -1)
except ValueError as error:
    print("invalid:", error.args[0])
try:
    Line(p).start = p
except attrs.exceptions.FrozenInstanceError as error:
    print("frozen:", type(error).__name__)
print(sorted([Legacy("b"), Legacy("a", [1])]), [f.name for f in attrs.fields(Line)])
print(pickle.loads(pickle.dumps(Line(p))), Point.__slots__, Point.__qualname__)
print(attr.__version_info__ >= (21, 1), attrs.has(Point), repr(Legacy("x")))
