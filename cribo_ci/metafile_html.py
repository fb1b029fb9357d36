"""The bundle report as one self-contained HTML page: a treemap and a table.

No script, no network: the treemap is laid out here (squarified, as Bruls,
Huizing and van Wijk describe) and drawn as positioned boxes, one per module
sized by its bytes in the bundle, grouped by top-level package; each box's
tooltip and the table below say why the module is in.
"""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 1000.0, 560.0
Box = tuple[float, float, float, float]  # x, y, width, height


def squarify(sizes: list[float], box: Box) -> list[Box]:
    """Boxes for ``sizes`` (largest first) filling ``box``, each near square."""
    x, y, width, height = box
    total = sum(sizes)
    if not sizes or total <= 0 or width <= 0 or height <= 0:
        return [(x, y, 0.0, 0.0) for _ in sizes]
    scale = width * height / total
    areas = [size * scale for size in sizes]
    placed: list[Box] = []
    while areas:
        side = min(width, height)
        row = [areas[0]]
        while len(row) < len(areas) and worst([*row, areas[len(row)]], side) <= worst(row, side):
            row.append(areas[len(row)])
        thickness = sum(row) / side
        offset = 0.0
        for area in row:
            length = area / thickness
            if width >= height:  # a column on the left
                placed.append((x, y + offset, thickness, length))
            else:  # a row on top
                placed.append((x + offset, y, length, thickness))
            offset += length
        if width >= height:
            x, width = x + thickness, width - thickness
        else:
            y, height = y + thickness, height - thickness
        areas = areas[len(row) :]
    return placed


def worst(row: list[float], side: float) -> float:
    """The worst aspect ratio in a row of areas laid along ``side``."""
    total = sum(row)
    return max(
        max(side * side * area / (total * total), total * total / (side * side * area))
        for area in row
    )


def grouped(modules: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for module in modules:
        groups.setdefault(module["name"].split(".")[0], []).append(module)
    ordered = sorted(groups.items(), key=lambda item: (-total(item[1]), item[0]))
    return [
        (name, sorted(members, key=lambda m: (-m["bundle_bytes"], m["name"])))
        for name, members in ordered
    ]


def total(modules: list[dict]) -> int:
    return sum(module["bundle_bytes"] for module in modules)


def treemap(modules: list[dict]) -> list[str]:
    groups = [(name, members) for name, members in grouped(modules) if total(members) > 0]
    outer = squarify([float(total(members)) for _, members in groups], (0.0, 0.0, WIDTH, HEIGHT))
    cells = []
    for number, ((name, members), box) in enumerate(zip(groups, outer)):
        hue = (number * 47) % 360
        cells.append(cell("group", box, f"{name}: {total(members):,} bytes", "", hue))
        members = [m for m in members if m["bundle_bytes"] > 0]  # namespace packages: no lines
        sizes = [float(m["bundle_bytes"]) for m in members]
        for module, inner in zip(members, squarify(sizes, inset(box))):
            tip = f"{module['name']} ({module['path'] or module['kind']}): {module['bundle_bytes']:,} bytes in the bundle, {module['source_bytes']:,} in the source; {module['reason']}"
            cells.append(cell("module", inner, tip, module["name"], hue))
    return cells


def inset(box: Box, margin: float = 2.0) -> Box:
    x, y, width, height = box
    return (x + margin, y + margin, max(width - 2 * margin, 0.0), max(height - 2 * margin, 0.0))


def cell(kind: str, box: Box, tip: str, label: str, hue: int) -> str:
    x, y, width, height = (round(value, 2) for value in box)
    light = 88 if kind == "group" else 70
    style = (
        f"left:{x}px;top:{y}px;width:{width}px;height:{height}px;background:hsl({hue},55%,{light}%)"
    )
    text = escape(label) if width > 40 and height > 14 else ""
    return f'<div class="{kind}" style="{style}" title="{escape(tip)}">{text}</div>'


STYLE = """
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
.map{position:relative;width:1000px;height:560px;border:1px solid #888}
.map div{position:absolute;box-sizing:border-box;overflow:hidden;font-size:11px;white-space:nowrap}
.group{border:1px solid #555}.module{border:1px solid #fff;padding:1px 2px}
table{border-collapse:collapse;margin-top:1.5em}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
"""


def render_html(data: dict) -> str:
    modules = data["modules"]
    totals = data["totals"]
    title = f"cribo-ci bundle report: {data['output']}"
    head = (
        f"<p>{totals['modules']} modules, {totals['program_bytes']:,} bytes to run "
        f"({data['mode']} mode), {totals['source_bytes']:,} bytes of sources; "
        f"made by cribo-ci {escape(data['cribo-ci'])} on {escape(data['interpreter']['implementation'])} "
        f"{escape(data['interpreter']['version'])}.</p>"
    )
    rows = [
        f"<tr><td>{escape(m['name'])}</td><td>{escape(m['path'] or m['kind'])}</td>"
        f'<td class="n">{m["source_bytes"]:,}</td><td class="n">{m["bundle_bytes"]:,}</td>'
        f"<td>{escape(m['reason'])}</td><td>{escape('; '.join(m['warnings']))}</td></tr>"
        for m in sorted(modules, key=lambda m: (-m["bundle_bytes"], m["name"]))
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
            f"<h1>{escape(title)}</h1>",
            head,
            '<div class="map">',
            *treemap(modules),
            "</div>",
            "<table><thead><tr><th>module</th><th>file</th><th>source bytes</th>"
            "<th>bundle bytes</th><th>why it is in</th><th>warnings</th></tr></thead><tbody>",
            *rows,
            "</tbody></table></body></html>",
            "",
        ]
    )
