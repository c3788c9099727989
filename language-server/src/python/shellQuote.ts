// Python's shlex.quote, which MLflow applies to every parameter value on POSIX before
// substituting it into the command (`mlflow.utils.string_utils.quote`; Windows uses mslex).

// `[^\w@%+=:,./-]` with re.ASCII: anything else makes the value unsafe.
const UNSAFE = /[^A-Za-z0-9_@%+=:,./-]/;

export function shlexQuote(s: string): string {
  if (s === '') return "''";
  if (!UNSAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
