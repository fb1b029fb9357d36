def render_table(rows, unit):
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {area:8.2f} {unit}2" for label, area in rows)
