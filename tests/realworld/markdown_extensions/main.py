"""Python-Markdown: extensions named by strings, as a site's configuration names them."""

import markdown

TEXT = """\
title: Release notes
authors: Ada
         Grace

# Release notes {: #notes .wide }

[TOC]

The *HTML* format is "smart" -- quotes and dashes... see [[Main Page]].

!!! note "Heads up"
    Admonitions hold **blocks**.

| Name | Kind |
|------|:----:|
| toc  | tree |
| abbr | term |

```python
print("fenced")
```

Term
:   Its definition.

1. one
2. two

* sane
* lists

A footnote[^1].

[^1]: The note.

*[HTML]: Hyper Text Markup Language
"""

EXTENSIONS = [
    "markdown.extensions.meta",
    "markdown.extensions.toc",
    "markdown.extensions.tables",
    "markdown.extensions.fenced_code",
    "markdown.extensions.footnotes:FootnoteExtension",
    "markdown.extensions.def_list",
    "markdown.extensions.abbr",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.smarty",
    "markdown.extensions.wikilinks",
    "markdown.extensions.sane_lists",
    "markdown.extensions.codehilite",  # pygments is absent: its plain fallback
]

md = markdown.Markdown(
    extensions=EXTENSIONS,
    extension_configs={"markdown.extensions.toc": {"permalink": True, "toc_depth": "1-3"}},
)
print(md.convert(TEXT))
print("toc:", md.toc_tokens)
print("meta:", md.Meta)
print("extensions:", sorted(type(ext).__module__ for ext in md.registeredExtensions))
md.reset()
print(md.convert("Line one\nline two"))
nl2br = markdown.markdown("a\nb", extensions=["markdown.extensions.nl2br"])
print(nl2br, markdown.markdown("x -- y", extensions=["markdown.extensions.smarty"]))
