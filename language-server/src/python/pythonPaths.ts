// The few path and URL functions of Python that decide how MLflow treats `path`/`uri` parameters
// and env files: urllib.parse.urlparse's scheme/netloc split, url2pathname's unquoting,
// os.path.join, and mlflow's get_local_path_or_none.

export interface UrlParts {
  scheme: string;
  netloc: string;
  path: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

/** urllib.parse.urlsplit (CPython 3.11): scheme, netloc and path only. */
export function pyUrlSplit(input: string): UrlParts {
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) {
    scheme = url.slice(0, i).toLowerCase();
    url = url.slice(i + 1);
  }
  if (url.startsWith('//')) {
    const rest = url.slice(2);
    const m = /[/?#]/.exec(rest);
    const end = m ? m.index : rest.length;
    netloc = rest.slice(0, end);
    url = rest.slice(end);
  }
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const q = url.indexOf('?');
  if (q >= 0) url = url.slice(0, q);
  return { scheme, netloc, path: url };
}

/** mlflow.utils.data_utils.is_uri */
export function pyIsUri(value: string): boolean {
  return pyUrlSplit(value).scheme.length > 0;
}

/** urllib.parse.unquote (UTF-8, invalid sequences replaced). */
export function pyUnquote(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  const out: string[] = [];
  const flush = (): void => {
    if (bytes.length) {
      out.push(new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes)));
      bytes.length = 0;
    }
  };
  for (let i = 0; i < s.length; i++) {
    const m = /^%([0-9A-Fa-f]{2})/.exec(s.slice(i, i + 3));
    if (m && m[1]) {
      bytes.push(parseInt(m[1], 16));
      i += 2;
    } else {
      flush();
      out.push(s[i] ?? '');
    }
  }
  flush();
  return out.join('');
}

/**
 * mlflow.utils.file_utils.get_local_path_or_none: the local path a `path` parameter value names,
 * or undefined when MLflow would download it (any other scheme, or `file://host/...`).
 */
export function localPathOrNone(value: string): string | undefined {
  const parts = pyUrlSplit(value);
  if (parts.scheme === '' || (parts.scheme === 'file' && parts.netloc === '')) {
    return pyUnquote(value.startsWith('file:') ? parts.path : value);
  }
  return undefined;
}

/** os.path.join(directory, value) without normalising, as MLflow builds env file paths. */
export function pyPathJoin(directory: string, value: string, sep: '/' | '\\' = '/'): string {
  if (value.startsWith('/') || (sep === '\\' && /^[A-Za-z]:[\\/]|^\\/.test(value))) return value;
  if (directory === '' || directory.endsWith('/') || directory.endsWith(sep)) return directory + value;
  return directory + sep + value;
}

/** os.path.abspath for a path relative to `cwd` (the project directory `mlflow run` is spawned in). */
export function pyAbsPath(cwd: string, p: string): string {
  const joined = p.startsWith('/') ? p : `${cwd.replace(/\/+$/, '')}/${p}`;
  const parts: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}
