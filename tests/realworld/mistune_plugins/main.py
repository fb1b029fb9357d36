"""mistune: plugins by name from its string table and by dotted path, renderers, directives."""

import mistune
from mistune.directives import Admonition, FencedDirective, RSTDirective, TableOfContents
from mistune.renderers.markdown import MarkdownRenderer
from mistune.renderers.rst import RSTRenderer

TEXT = """\
# Plugins

~~struck~~ ==marked== ^^inserted^^ x^2^ H~2~O and https://example.org

| a | b |
|---|:-:|
| 1 | 2 |

- [x] done
- [ ] todo

HTML
:   Hyper text

*[HTML]: Hyper Text Markup Language

$$
e = mc^2
$$

Inline $a+b$ and >! a spoiler !< and [漢字(かんじ)] ruby.

A note[^n].

[^n]: The footnote.
"""

ALL = [
    "strikethrough", "mark", "insert", "superscript", "subscript", "url", "table",
    "task_lists", "def_list", "abbr", "math", "spoiler", "ruby", "footnotes", "speedup",
]  # fmt: skip

print(mistune.html(TEXT))  # its default plugins, imported by name
print(mistune.create_markdown(plugins=ALL)(TEXT))
tree = mistune.create_markdown(renderer="ast", plugins=["table", "footnotes"])(TEXT)
print([token["type"] for token in tree])
by_path = mistune.create_markdown(plugins=["mistune.plugins.formatting.strikethrough"])
print(by_path("~~path~~"))
print(mistune.create_markdown(renderer=MarkdownRenderer())("# T\n\n*em* [link](u)\n\n- a\n- b\n"))
print(mistune.create_markdown(renderer=RSTRenderer())("# Title\n\n*em* and `code`\n"))
directives = mistune.create_markdown(
    plugins=[
        FencedDirective([Admonition(), TableOfContents()]),
        RSTDirective([Admonition()]),
    ]
)
print(directives("```{note} Heads up\nBody text.\n```\n\n.. warning:: Careful\n\n   Indented.\n"))
