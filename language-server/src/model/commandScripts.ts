// Finds the script files a command runs (`python train.py`, `bash run.sh`, `Rscript fit.R`,
// `./etl.sh`), by index into the command string, for go-to-definition, completion and the
// "file not found" warning. A light word split, not a shell parser: quoting and substitutions
// beyond the simple cases are skipped rather than guessed.

export interface ScriptReference {
  path: string;
  start: number;
  end: number;
}

interface Word {
  text: string;
  start: number;
}

const INTERPRETER = /^(?:.*\/)?(?:python(?:[0-9.]*)?|pythonw|Rscript|bash|sh|zsh|dash|source|\.)$/;
// Options that take the next word as their argument, so it is not the script.
const OPTION_WITH_ARG = new Set(['-W', '-X', '--args']);
const SCRIPT_LIKE = /\.(?:py|sh|bash|R|r|zsh)$/;

function words(command: string): Word[][] {
  const commands: Word[][] = [[]];
  const re = /'[^']*'|"(?:[^"\\]|\\.)*"|&&|\|\||[;|&\n]|[^\s;|&'"]+(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s;|&'"]+)*/g;
  for (const m of command.matchAll(re)) {
    const t = m[0];
    if (t === '&&' || t === '||' || t === ';' || t === '|' || t === '&' || t === '\n') {
      commands.push([]);
      continue;
    }
    commands[commands.length - 1]?.push({ text: t, start: m.index });
  }
  return commands.filter((c) => c.length > 0);
}

function unquoted(w: Word): { text: string; start: number } | undefined {
  const t = w.text;
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) {
    const inner = t.slice(1, -1);
    if (/['"\\$`]/.test(inner)) return undefined;
    return { text: inner, start: w.start + 1 };
  }
  if (/['"\\$`]/.test(t)) return undefined;
  return { text: t, start: w.start };
}

export function findScriptReferences(command: string): ScriptReference[] {
  const refs: ScriptReference[] = [];
  for (const cmd of words(command)) {
    let i = 0;
    // Skip leading environment assignments (`FOO=1 python x.py`).
    while (i < cmd.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd[i]?.text ?? '')) i++;
    const first = cmd[i];
    if (!first) continue;
    const head = unquoted(first);
    if (!head || head.text.includes('{')) continue;
    if (!INTERPRETER.test(head.text)) {
      if (head.text.startsWith('./') || (head.text.includes('/') && SCRIPT_LIKE.test(head.text))) {
        refs.push({ path: head.text, start: head.start, end: head.start + head.text.length });
      }
      continue;
    }
    for (let j = i + 1; j < cmd.length; j++) {
      const w = cmd[j] as Word;
      if (w.text === '-m' || w.text === '-c' || w.text === '-e') break;
      if (w.text.startsWith('-')) {
        if (OPTION_WITH_ARG.has(w.text)) j++;
        continue;
      }
      const arg = unquoted(w);
      if (arg && !arg.text.includes('{') && (SCRIPT_LIKE.test(arg.text) || arg.text.includes('/'))) {
        refs.push({ path: arg.text, start: arg.start, end: arg.start + arg.text.length });
      }
      break;
    }
  }
  return refs;
}
