// The e2e files give themselves experiments of their own on the shared server through these
// plain REST calls, deliberately not through the client under test.

/** POSTs `body` to `/api/2.0/mlflow/<path>`, or GETs `<path>` (query string included) when there is no body. */
export async function api<T>(url: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`${url}/api/2.0/mlflow/${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
