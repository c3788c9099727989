"""Writes media/mlflow.svg (activity bar, monochrome) and media/icon.png (marketplace, 128x128).

Both come from one geometry so they stay alike: a run loop (two arcs with arrowheads) around a
metric curve that improves. Needs Pillow (the MLflow venv has it):
    $MLFLOW_VENV/bin/python scripts/render_icons.py
"""
import math
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
C, R = 12.0, 8.5  # on a 24x24 grid, like the codicons


def on_circle(deg):
    t = math.radians(deg)
    return (C + R * math.cos(t), C - R * math.sin(t))


def arrowhead(deg, size=2.8, spread=38):
    """Chevron at the end of a counter-clockwise arc that stops at `deg`."""
    tip = on_circle(deg)
    t = math.radians(deg)
    # Direction of travel (screen coordinates, y down) for counter-clockwise motion.
    dx, dy = -math.sin(t), -math.cos(t)
    back = math.atan2(-dy, -dx)
    arms = []
    for s in (-spread, spread):
        a = back + math.radians(s)
        arms.append((tip[0] + size * math.cos(a), tip[1] + size * math.sin(a)))
    return [arms[0], tip, arms[1]]


ARCS = [(25, 155), (205, 335)]
CURVE = [(7.0, 14.5), (10.0, 11.0), (12.6, 13.2), (17.0, 8.8)]


def fmt(p):
    return f"{p[0]:.2f} {p[1]:.2f}"


def svg():
    parts = []
    for a, b in ARCS:
        parts.append(f'<path d="M{fmt(on_circle(a))}A{R} {R} 0 0 0 {fmt(on_circle(b))}"/>')
        parts.append(f'<polyline points="{" ".join(fmt(p) for p in arrowhead(b))}"/>')
    parts.append(f'<polyline points="{" ".join(fmt(p) for p in CURVE)}"/>')
    dots = "".join(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="1.1" fill="currentColor" stroke="none"/>' for x, y in (CURVE[0], CURVE[-1]))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">'
        + "".join(parts) + dots + "</svg>\n"
    )


def png(size=128, supersample=4):
    s = size * supersample
    scale = s / 24.0
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    # MLflow's blue on a rounded tile; white strokes read on light and dark marketplace pages.
    d.rounded_rectangle([0, 0, s - 1, s - 1], radius=int(s * 0.2), fill=(1, 148, 226, 255))
    w = int(1.9 * scale)
    sc = lambda p: (p[0] * scale, p[1] * scale)
    white = (255, 255, 255, 255)
    for a, b in ARCS:
        steps = 64
        pts = [sc(on_circle(a + (b - a) * i / steps)) for i in range(steps + 1)]
        d.line(pts, fill=white, width=w, joint="curve")
        d.line([sc(p) for p in arrowhead(b)], fill=white, width=w, joint="curve")
    d.line([sc(p) for p in CURVE], fill=(67, 237, 188, 255), width=w, joint="curve")
    for p in [sc(q) for q in CURVE] + [sc(q) for a, b in ARCS for q in arrowhead(b)] + [sc(on_circle(a)) for a, _ in ARCS]:
        r = w / 2
        d.ellipse([p[0] - r, p[1] - r, p[0] + r, p[1] + r], fill=white if p not in [sc(q) for q in CURVE] else (67, 237, 188, 255))
    for q in (CURVE[0], CURVE[-1]):
        x, y = sc(q)
        r = 1.4 * scale
        d.ellipse([x - r, y - r, x + r, y + r], fill=(67, 237, 188, 255))
    return img.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    (ROOT / "media").mkdir(exist_ok=True)
    (ROOT / "media/mlflow.svg").write_text(svg())
    png().save(ROOT / "media/icon.png", optimize=True)
    print("wrote media/mlflow.svg and media/icon.png")
