// Tiny runtime type guards for messages crossing the webview boundary. A webview is less trusted
// than the extension host (it renders server strings), so the host checks every incoming
// message's params against these before a handler sees them.

export type Guard<T> = (v: unknown) => v is T;

export const isString: Guard<string> = (v): v is string => typeof v === 'string';
/** A finite number (NaN and ±Infinity never travel as plain numbers, see metricPoints.ts). */
export const isNumber: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
export const isInteger: Guard<number> = (v): v is number => Number.isSafeInteger(v);
export const isUnknown: Guard<unknown> = (_v): _v is unknown => true;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function arrayOf<T>(item: Guard<T>, maxLength = 100_000): Guard<T[]> {
  return (v): v is T[] => Array.isArray(v) && v.length <= maxLength && v.every((x) => item(x));
}

export function oneOf<const T extends readonly (string | number)[]>(...values: T): Guard<T[number]> {
  return (v): v is T[number] => values.includes(v as T[number]);
}

export function optional<T>(g: Guard<T>): Guard<T | undefined> {
  return (v): v is T | undefined => v === undefined || g(v);
}

type Shape = Record<string, Guard<unknown>>;
type FromShape<S extends Shape> = { [K in keyof S]: S[K] extends Guard<infer T> ? T : never };

/** An object with (at least) these fields; extra fields are allowed and ignored. */
export function shape<S extends Shape>(fields: S): Guard<FromShape<S>> {
  return (v): v is FromShape<S> => {
    if (!isRecord(v)) return false;
    for (const [k, g] of Object.entries(fields)) if (!g(v[k])) return false;
    return true;
  };
}
