"""rich: tables, trees, panels, markdown, syntax, pretty printing, tracebacks to a string."""

import io
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.pretty import Pretty
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from rich.tree import Tree


@dataclass
class Item:
    name: str
    tags: list


def render(renderable, color_system=None):
    console = Console(
        file=io.StringIO(),
        width=60,
        color_system=color_system,
        force_terminal=True,
        legacy_windows=False,
        _environ={},
    )
    console.print(renderable)
    return console.file.getvalue()


table = Table(title="Modules", box=box.ROUNDED)
table.add_column("name", style="cyan")
table.add_column("lines", justify="right")
for name, lines in [("resolve", 344), ("link", 170), ("bootstrap", 137)]:
    table.add_row(name, str(lines))
print(render(table))
tree = Tree("pkg")
tree.add("a.py").add("[bold]inner[/bold]")
tree.add("b.py")
print(render(tree, "truecolor").encode())
print(render(Panel(Text("hello ✓ wide 日本", justify="center"), title="panel")))
print(render(Markdown("# Head\n\n* one\n* **two**\n\n```python\nx = 1\n```\n")))
print(render(Syntax("def f(x):\n    return x * 2\n", "python", theme="monokai"), "256").encode())
print(render(Pretty({"items": [Item("a", [1, 2]), Item("b", [])], "n": None})))
