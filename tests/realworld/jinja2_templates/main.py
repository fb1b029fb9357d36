"""Jinja2 with MarkupSafe's pure-Python escape: inheritance, macros, filters, sandbox."""

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

TEMPLATES = {
    "base.html": "<title>{% block title %}{% endblock %}</title>{% block body %}{% endblock %}",
    "macros.html": "{% macro item(x) %}<li>{{ x | upper }}</li>{% endmacro %}",
    "page.html": (
        '{% extends "base.html" %}{% import "macros.html" as m %}'
        "{% block title %}{{ title }}{% endblock %}"
        "{% block body %}<ul>{% for x in items | sort %}{{ m.item(x) }}{% endfor %}</ul>"
        "{{ html }} {{ items | join(', ') }} {{ 3.14159 | round(2) }}{% endblock %}"
    ),
}

env = Environment(loader=DictLoader(TEMPLATES), autoescape=select_autoescape())
env.filters["twice"] = lambda value: value * 2
page = env.get_template("page.html")
print(page.render(title="A & B", items=["b", "a", "c"], html="<script>"))
print(env.from_string("{{ 'ab' | twice }} {{ range(3) | list }}").render())
strict = Environment(undefined=StrictUndefined)
try:
    strict.from_string("{{ missing }}").render()
except UndefinedError as error:
    print("undefined:", error)
sandbox = SandboxedEnvironment()
try:
    sandbox.from_string("{{ ''.__class__.__mro__ }}").render()
except Exception as error:
    print("sandbox:", type(error).__name__)
print(escape("<a href='x'>"), Markup("<b>%s</b>") % "<i>")
print(Markup("<em>x</em>").striptags(), escape("&").__html__())
