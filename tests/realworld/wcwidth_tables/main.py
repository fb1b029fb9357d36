"""wcwidth: terminal column widths from generated Unicode tables (table_zero.py
alone is 359 kB of nested tuples, one per Unicode version)."""

from wcwidth import list_versions, wcswidth, wcwidth
from wcwidth.table_wide import WIDE_EASTASIAN
from wcwidth.table_zero import ZERO_WIDTH

versions = list_versions()
print(len(versions), versions[0], versions[-1])
print(len(ZERO_WIDTH), len(WIDE_EASTASIAN), sum(len(table) for table in ZERO_WIDTH.values()))
samples = [
    "hello",
    "コンニチハ",
    "cafe\u0301",
    "\u2764\ufe0f",
    "\U0001f600 ok",
    "a\u200bb",
    "\x1b[0m",
]
for text in samples:
    print(repr(text), wcswidth(text), [wcwidth(char) for char in text])
for version in ("4.1.0", "9.0.0", versions[-1]):
    print(version, wcswidth("\U0001f600\u1100\u0300", unicode_version=version))
print(sum(wcwidth(chr(point)) == 2 for point in range(0x1100, 0x1200)))
