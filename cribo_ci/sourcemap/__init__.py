"""Source Map v3 for bundles: the VLQ codec, the builder from ``LineSpan``s,
and lookups back to original locations."""

from .build import SourceMap, build_sourcemap, utf16_column
from .lookup import DecodedMap, OriginalPosition, decode_sourcemap, inline_comment

__all__ = [
    "DecodedMap",
    "OriginalPosition",
    "SourceMap",
    "build_sourcemap",
    "decode_sourcemap",
    "inline_comment",
    "utf16_column",
]
