"""tomlkit: parse, edit keeping comments and layout, build documents, errors."""

import tomlkit
from tomlkit.exceptions import ParseError

SOURCE = """# project settings
[project]
name = "demo"  # the name
version = "1.0"
tags = ["a", "b"]

[tool.cribo]
entry = "main.py"
dates = 1979-05-27T07:32:00Z
"""

doc = tomlkit.parse(SOURCE)
doc["project"]["version"] = "1.1"
doc["project"]["tags"].append("c")
doc["tool"]["cribo"].add(tomlkit.comment("added"))
doc["tool"]["cribo"]["include"] = ["pkg.*"]
print(tomlkit.dumps(doc))
print(doc["tool"]["cribo"]["dates"].isoformat(), type(doc["project"]["tags"]).__name__)
print(doc.unwrap()["project"])
table = tomlkit.table()
table.add("x", 1)
table.add(tomlkit.nl())
table.add("nested", tomlkit.inline_table())
table["nested"].update({"a": 1.5, "b": True})
fresh = tomlkit.document()
fresh.add("section", table)
fresh.add("array", tomlkit.aot())
fresh["array"].append({"n": 1})
print(tomlkit.dumps(fresh))
try:
    tomlkit.parse("a = [1,")
except ParseError as error:
    print("error:", error.line, error.col, str(error))
