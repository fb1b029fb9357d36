"""Pygments: lexers, formatters and styles found by name, guessing, highlighting."""

from pygments import highlight, lex
from pygments.formatters import get_formatter_by_name
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename, guess_lexer
from pygments.styles import get_all_styles, get_style_by_name

CODE = 'def greet(name: str) -> str:\n    return f"hi {name}"  # note\n'

for alias in ("python", "rust", "sql", "yaml", "html+jinja"):
    lexer = get_lexer_by_name(alias)
    print(alias, "->", lexer.name, type(lexer).__module__)
print("for filename:", get_lexer_for_filename("build.gradle.kts").name)
print("guess:", guess_lexer("#!/bin/bash\necho hi\n").name)
print("tokens:", [(str(t), v) for t, v in lex(CODE, get_lexer_by_name("python"))][:8])
for formatter in ("html", "terminal256", "latex", "rtf"):
    out = highlight(CODE, get_lexer_by_name("python"), get_formatter_by_name(formatter))
    print(formatter, len(out), out.splitlines()[0][:60])
print("styles:", len(sorted(get_all_styles())))
monokai = get_style_by_name("monokai")
print("monokai:", monokai.background_color, len(monokai.styles))
