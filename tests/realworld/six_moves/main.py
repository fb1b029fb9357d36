"""six: moves importer, exec_-defined helpers, metaclass helpers, string helpers."""

import sys

import six
from six.moves import configparser, reduce, urllib
from six.moves.urllib.parse import quote, urlencode


class Meta(type):
    def __new__(mcs, name, bases, namespace):
        namespace["tagged"] = name.lower()
        return super().__new__(mcs, name, bases, namespace)


class Base(six.with_metaclass(Meta, object)):
    pass


@six.add_metaclass(Meta)
class Other:
    __slots__ = ()


print(Base.tagged, Other.tagged, type(Base).__name__)
print(reduce(lambda a, b: a * b, range(1, 6)), quote("a b&c"), urlencode({"k": "v w"}))
print(configparser.ConfigParser.__module__, urllib.parse.urlsplit("http://h/p").netloc)
print(six.ensure_text(b"bytes"), six.ensure_binary("text"), six.b("x"), six.u("y"))
try:
    try:
        raise KeyError("inner")
    except KeyError as inner:
        six.raise_from(ValueError("outer"), inner)
except ValueError as error:
    print("raise_from:", repr(error), repr(error.__cause__))
try:
    six.reraise(RuntimeError, RuntimeError("again"), None)
except RuntimeError as error:
    print("reraise:", error)
print(six.PY3, sorted(six.iterkeys({"b": 1, "a": 2})), "six.moves" in sys.modules)
print(hasattr(six, "raise_from"), six.get_function_code(lambda: 0).co_name)
