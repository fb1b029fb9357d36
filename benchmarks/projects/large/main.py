"""Benchmark scenario: render Markdown with code blocks through rich, markdown-it and pygments."""

import io
import os
import sys

from rich.console import Console
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.table import Table

if os.environ.get("BENCH_LOAD_ALL"):  # never set in the timed runs (see setup_projects.py)
    import all_pygments  # noqa: F401

DOCUMENT = """
# Release notes

Some *emphasis*, some **strong** text, a [link](https://example.org) and `code`.

1. first item
2. second item

```python
def greet(name: str) -> str:
    return f"hello {name}"
```

> a quote with a list:
> - one
> - two
"""

CODE = """
import json

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def to_json(self):
        return json.dumps({"x": self.x, "y": self.y})
"""


def main() -> int:
    console = Console(file=io.StringIO(), width=90, force_terminal=True, color_system="truecolor")
    console.print(Markdown(DOCUMENT))
    for lexer in ("python", "javascript", "rust", "yaml"):
        console.print(Syntax(CODE, lexer, theme="monokai", line_numbers=True))
    table = Table("module", "lines")
    for name in ("console", "markdown", "syntax", "table"):
        table.add_row(name, str(len(name) * 7))
    console.print(table)
    output = console.file.getvalue()
    print(len(output.splitlines()), "lines rendered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
