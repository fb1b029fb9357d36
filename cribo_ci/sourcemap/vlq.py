"""Base64 VLQ, the number encoding of Source Map v3 ``mappings`` (ECMA-426 §5).

Each number is split into 5-bit groups, least significant first; the sign is
the lowest bit of the first group and bit 6 of each digit says "more follow".
"""

from __future__ import annotations

from typing import Iterable

from ..errors import CriboError

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
DIGIT_VALUES = {char: value for value, char in enumerate(ALPHABET)}
CONTINUE = 32  # bit 6 of a digit
GROUP = 31  # the five payload bits


class MappingsError(CriboError):
    """A ``mappings`` string that is not valid Base64 VLQ."""


def encode_number(value: int) -> str:
    # Nearly every delta in a map is small: those come from a table.
    return SMALL.get(value) or _encode_number(value)


def _encode_number(value: int) -> str:
    bits = (-value << 1) | 1 if value < 0 else value << 1
    digits = []
    while True:
        group, bits = bits & GROUP, bits >> 5
        digits.append(ALPHABET[group | (CONTINUE if bits else 0)])
        if not bits:
            return "".join(digits)


SMALL = {value: _encode_number(value) for value in range(-512, 513)}


def encode_numbers(values: Iterable[int]) -> str:
    return "".join(map(encode_number, values))


def decode_numbers(text: str) -> list[int]:
    """All numbers of one segment, in order."""
    values: list[int] = []
    bits = shift = 0
    for char in text:
        digit = DIGIT_VALUES.get(char)
        if digit is None:
            raise MappingsError(f"not a Base64 VLQ digit: {char!r}")
        bits |= (digit & GROUP) << shift
        shift += 5
        if not digit & CONTINUE:
            values.append(-(bits >> 1) if bits & 1 else bits >> 1)
            bits = shift = 0
    if shift:
        raise MappingsError(f"segment {text!r} ends inside a number")
    return values
