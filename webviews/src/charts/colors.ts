// Stable run colours: a run's colour comes from a hash of its id, so it is the same in every
// chart, panel and session. Two shown runs whose ids hash to the same colour would be
// indistinguishable, so within a panel collisions move to the next free colour (decided in id
// order, not click order) and past 12 runs lines get dashed. The palette is mid-luminance and
// saturated enough to read on light, dark and high-contrast backgrounds (checked against
// #ffffff, #1e1e1e and #000000), and no two are shades of one hue (a blue and a light blue
// side by side read as one run).

export const PALETTE = [
  '#3b8eea', // blue
  '#e8912d', // orange
  '#2ea043', // green
  '#e5534b', // red
  '#a371f7', // purple
  '#b5a300', // mustard
  '#1f9eae', // teal
  '#db61a2', // pink
  '#8b949e', // grey
  '#8a5a9e', // plum
  '#7a7a20', // olive
  '#9c6b3c', // brown
] as const;

/** FNV-1a over the id's UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The run's own colour, before collisions within a panel are resolved. */
export function runColor(runId: string): string {
  return PALETTE[ownColorIndex(runId)]!;
}

function ownColorIndex(runId: string): number {
  return hashString(runId) % PALETTE.length;
}

export interface RunStyle {
  color: string;
  /** Canvas line dash; empty for a solid line. */
  dash: number[];
}

const DASHES: readonly number[][] = [[], [6, 3], [2, 2], [10, 3, 2, 3]];

/**
 * A distinct colour (then dash) per run of a panel. Each run gets its own hash colour unless an
 * earlier run (by id) took it; then the next free one. Depends only on the set of ids.
 */
export function assignRunStyles(runIds: readonly string[]): Map<string, RunStyle> {
  const out = new Map<string, RunStyle>();
  const taken = new Set<number>();
  const slots = PALETTE.length * DASHES.length;
  for (const id of [...new Set(runIds)].sort()) {
    const preferred = ownColorIndex(id);
    let slot = -1;
    for (let k = 0; k < slots; k++) {
      const dash = Math.floor(k / PALETTE.length);
      const candidate = dash * PALETTE.length + ((preferred + (k % PALETTE.length)) % PALETTE.length);
      if (!taken.has(candidate)) {
        slot = candidate;
        break;
      }
    }
    // More runs than styles: share, starting again from the run's own colour.
    if (slot < 0) slot = preferred;
    taken.add(slot);
    out.set(id, { color: PALETTE[slot % PALETTE.length]!, dash: DASHES[Math.floor(slot / PALETTE.length)]! });
  }
  return out;
}

/** The colour with an alpha, for the faint raw line under a smoothed one. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}
