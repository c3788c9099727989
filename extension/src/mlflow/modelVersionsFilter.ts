// The model-versions/search filter for one model's versions. MLflow's filter strings have no
// escape for a quote inside a value (checked on 3.17.2): a name is quoted with the quote it does
// not hold, and one holding both kinds is matched with LIKE, a `_` standing for each quote. LIKE
// can match more (`_` and `%` in the name are wildcards too, SQLite ignores case), so callers keep
// only the versions whose name is exactly the model's.
export function modelVersionsFilter(name: string): string {
  if (!name.includes("'")) return `name = '${name}'`;
  if (!name.includes('"')) return `name = "${name}"`;
  return `name LIKE '${name.replace(/['"]/g, '_')}'`;
}
