"""markdown-it-py: presets, plugins of its own rules, tokens and rendering."""

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

TEXT = """# Title

Some *emphasis*, **strong**, `code` and a [link](https://example.com/a b).

| a | b |
|---|---|
| 1 | 2 |

- [ ] item
- ~~struck~~

```python
print("hi")
```
> quote
"""

for preset in ("commonmark", "gfm-like", "zero"):
    md = MarkdownIt(preset)
    print(f"== {preset}")
    print(md.render(TEXT))
md = MarkdownIt("commonmark").enable("table").disable("image")
tokens = md.parse(TEXT)
print([t.type for t in tokens][:12])
print(SyntaxTreeNode(tokens).pretty(indent=1)[:300])
print(md.renderInline("a <b> & c"))
