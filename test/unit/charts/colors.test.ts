import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignRunStyles, hashString, PALETTE, runColor, withAlpha } from '../../../webviews/src/charts/colors.ts';

/** WCAG relative luminance contrast between two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const c = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** CIE76 colour difference in L*a*b* (D65): about 2.3 is just noticeable, 25+ reads as another colour. */
function deltaE(a: string, b: string): number {
  const lab = (hex: string): number[] => {
    const [r, g, bl] = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    const xyz = [
      (r * 0.4124 + g * 0.3576 + bl * 0.1805) / 0.95047,
      r * 0.2126 + g * 0.7152 + bl * 0.0722,
      (r * 0.0193 + g * 0.1192 + bl * 0.9505) / 1.08883,
    ];
    const [fx, fy, fz] = xyz.map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116)) as [
      number,
      number,
      number,
    ];
    return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
  };
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}

describe('run colours', () => {
  it('are stable: the same id gives the same colour, from the palette', () => {
    const id = '0a40e66576bc470abdc6b9b0bb6ec979';
    assert.equal(runColor(id), runColor(id));
    assert.ok((PALETTE as readonly string[]).includes(runColor(id)));
    assert.equal(hashString('a'), 0xe40c292c, 'FNV-1a');
  });

  it('spread over the palette for many ids', () => {
    const used = new Set(Array.from({ length: 500 }, (_, i) => runColor(`run-${i}`)));
    assert.equal(used.size, PALETTE.length);
  });

  it('stay readable on light, dark and high-contrast backgrounds (≥ 2:1 against each)', () => {
    for (const c of PALETTE)
      for (const bg of ['#ffffff', '#1e1e1e', '#000000'])
        assert.ok(contrast(c, bg) >= 2, `${c} on ${bg}: ${contrast(c, bg).toFixed(2)}`);
  });

  it('are told apart: no two palette colours are shades of one another (ΔE ≥ 25)', () => {
    for (let i = 0; i < PALETTE.length; i++) {
      for (let j = i + 1; j < PALETTE.length; j++)
        assert.ok(
          deltaE(PALETTE[i]!, PALETTE[j]!) >= 25,
          `${PALETTE[i]} vs ${PALETTE[j]}: ΔE ${deltaE(PALETTE[i]!, PALETTE[j]!).toFixed(1)}`,
        );
    }
  });

  it('within a panel, every run up to the palette size gets its own colour, solid', () => {
    const ids = Array.from({ length: PALETTE.length }, (_, i) => `run-${i}`);
    const styles = assignRunStyles(ids);
    assert.equal(new Set([...styles.values()].map((s) => s.color)).size, PALETTE.length);
    for (const s of styles.values()) assert.deepEqual(s.dash, []);
  });

  it('keeps a run’s own hash colour when nothing collides, and does not depend on order', () => {
    const ids = ['0a40e66576bc470abdc6b9b0bb6ec979', '49ff31e55f60473aa601766489f52750'];
    const one = assignRunStyles(ids);
    const two = assignRunStyles([...ids].reverse());
    assert.deepEqual([...one.entries()].sort(), [...two.entries()].sort());
    const smallest = [...ids].sort()[0]!;
    assert.equal(one.get(smallest)!.color, runColor(smallest), 'the first by id always has its own colour');
  });

  it('resolves a collision: two runs with the same hash colour get different colours', () => {
    const byColour = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const id = `run-${i}`;
      const c = runColor(id);
      const prev = byColour.get(c);
      if (prev) pair = [prev, id];
      else byColour.set(c, id);
    }
    const styles = assignRunStyles(pair);
    assert.notEqual(styles.get(pair[0])!.color, styles.get(pair[1])!.color);
  });

  it('past the palette, lines are dashed so each of 48 runs still has its own style', () => {
    const styles = assignRunStyles(Array.from({ length: 48 }, (_, i) => `r${i}`));
    assert.equal(new Set([...styles.values()].map((s) => `${s.color}|${s.dash.join(',')}`)).size, 48);
    assert.ok([...styles.values()].some((s) => s.dash.length > 0));
  });

  it('adds alpha for the faint raw line', () => {
    assert.equal(withAlpha('#3b8eea', 0.3), 'rgba(59, 142, 234, 0.3)');
  });
});
