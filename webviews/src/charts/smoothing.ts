// Exponential moving average as TensorBoard and MLflow draw it: debiased, so the first points
// are not pulled towards zero, and skipping non-finite values (they stay gaps).

/** weight 0 returns the input; 0.99 is very smooth. */
export function emaSmooth(values: ArrayLike<number>, weight: number): number[] {
  const w = Math.min(0.999, Math.max(0, weight));
  const out = new Array<number>(values.length);
  let acc = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    if (w === 0) {
      out[i] = v;
      continue;
    }
    acc = acc * w + (1 - w) * v;
    count++;
    out[i] = acc / (1 - Math.pow(w, count));
  }
  return out;
}
