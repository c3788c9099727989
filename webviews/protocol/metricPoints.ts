// Metric points in columns, the shape histories take across the webview boundary. Messages are
// serialized as JSON, where NaN and ±Infinity become null; so non-finite values travel as a
// short list of exceptions and come back as the numbers they were.
import { arrayOf, isInteger, isNumber, oneOf, optional, shape } from './guards.ts';
import type { Guard } from './guards.ts';

type NonFiniteCode = 'NaN' | 'Infinity' | '-Infinity';

export interface EncodedPoints {
  step: number[];
  timestamp: number[];
  /** Non-finite entries hold 0 here and are listed in `nonFinite`. */
  value: number[];
  nonFinite?: [index: number, code: NonFiniteCode][];
}

/** Decoded form: plain parallel arrays, values may be NaN or ±Infinity. */
export interface Points {
  step: number[];
  timestamp: number[];
  value: number[];
}

export interface PointLike {
  step: number;
  timestamp: number;
  value: number;
}

const isNonFinitePair: Guard<[number, NonFiniteCode]> = (v): v is [number, NonFiniteCode] =>
  Array.isArray(v) && v.length === 2 && isInteger(v[0]) && oneOf('NaN', 'Infinity', '-Infinity')(v[1]);

const MAX_POINTS = 5_000_000;

const hasColumns = shape({
  step: arrayOf(isNumber, MAX_POINTS),
  timestamp: arrayOf(isNumber, MAX_POINTS),
  value: arrayOf(isNumber, MAX_POINTS),
  nonFinite: optional(arrayOf(isNonFinitePair, MAX_POINTS)),
});

export const isEncodedPoints: Guard<EncodedPoints> = (v): v is EncodedPoints =>
  hasColumns(v) &&
  v.step.length === v.timestamp.length &&
  v.step.length === v.value.length &&
  (v.nonFinite ?? []).every(([i]) => i >= 0 && i < v.value.length);

export function encodePoints(points: readonly PointLike[]): EncodedPoints {
  const n = points.length;
  const out: EncodedPoints = {
    step: new Array<number>(n),
    timestamp: new Array<number>(n),
    value: new Array<number>(n),
  };
  let nonFinite: [number, NonFiniteCode][] | undefined;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    out.step[i] = p.step;
    out.timestamp[i] = p.timestamp;
    if (Number.isFinite(p.value)) out.value[i] = p.value;
    else {
      out.value[i] = 0;
      (nonFinite ??= []).push([i, Number.isNaN(p.value) ? 'NaN' : p.value > 0 ? 'Infinity' : '-Infinity']);
    }
  }
  if (nonFinite) out.nonFinite = nonFinite;
  return out;
}

export function decodePoints(e: EncodedPoints): Points {
  const value = e.value.slice();
  for (const [i, code] of e.nonFinite ?? [])
    value[i] = code === 'NaN' ? NaN : code === 'Infinity' ? Infinity : -Infinity;
  return { step: e.step.slice(), timestamp: e.timestamp.slice(), value };
}

/** A single metric value that may be non-finite, for tables (JSON would turn NaN into null). */
export type WireNumber = number | NonFiniteCode;

export function toWireNumber(n: number): WireNumber {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

export function fromWireNumber(w: WireNumber): number {
  if (typeof w === 'number') return w;
  return w === 'NaN' ? NaN : w === 'Infinity' ? Infinity : -Infinity;
}
