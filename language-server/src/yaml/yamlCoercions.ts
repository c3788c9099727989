// Explains when YAML 1.1 (PyYAML) turned what the user typed into something else: `yes` → True,
// `010` → 8, `12:30` → 750, `1_000` → 1000, `0.10` → 0.1, timestamps re-rendered. A sentence
// starting "YAML 1.1 reads" is a surprise worth a warning; "YAML reads" is cosmetic.
import { pyStr, type PyValue } from '../python/pythonValues.ts';

export function describeCoercion(v: PyValue): string | undefined {
  if (v.style !== 'plain' || v.source === undefined) return undefined;
  const src = v.source;
  let rendered: string;
  try {
    rendered = pyStr(v, 200);
  } catch {
    return undefined;
  }
  switch (v.kind) {
    case 'bool':
      if (/^(?:yes|no|on|off)$/i.test(src)) return `YAML 1.1 reads \`${src}\` as the boolean ${rendered}.`;
      return src === rendered ? undefined : `YAML reads \`${src}\` as the boolean ${rendered}.`;
    case 'int': {
      if (src === rendered) return undefined;
      const body = src.replace(/^[-+]/, '');
      const why = body.includes(':')
        ? 'base 60'
        : /^0x/i.test(body)
          ? 'hexadecimal'
          : /^0b/i.test(body)
            ? 'binary'
            : /^0[0-7_]+$/.test(body)
              ? 'octal'
              : body.includes('_')
                ? 'underscores are dropped'
                : 'normalised';
      return `YAML 1.1 reads \`${src}\` as the integer ${rendered} (${why}).`;
    }
    case 'float': {
      if (src === rendered) return undefined;
      if (src.includes(':') || src.includes('_') || /inf|nan/i.test(src))
        return `YAML 1.1 reads \`${src}\` as the float ${rendered}.`;
      return `YAML reads \`${src}\` as the float ${rendered}.`;
    }
    case 'datetime':
      return src === rendered ? undefined : `YAML 1.1 reads \`${src}\` as a timestamp, rendered \`${rendered}\`.`;
    default:
      return undefined;
  }
}
