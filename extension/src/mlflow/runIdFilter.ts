// `run_id IN ('…', …)` search filters: the one list comparison MLflow's search grammar has, used to
// fetch many known runs (or their model versions) in a few requests. Pure: no `vscode`.

/**
 * What a run id may hold to go into a quoted literal. MLflow writes hex uuids, but ids come back
 * from servers and state a view saved; a quote in one would end the literal and change the query.
 */
const SAFE_RUN_ID = /^[A-Za-z0-9_-]+$/;

/**
 * One filter per `perCall` distinct safe ids, in the order given; ids that could break the
 * literal are left out (no filter at all when none is left). `field` is `run_id` for model
 * versions and `attributes.run_id` for runs.
 */
export function runIdInFilters(
  runIds: readonly string[],
  field: 'run_id' | 'attributes.run_id',
  perCall: number,
): string[] {
  const safe = [...new Set(runIds)].filter((id) => SAFE_RUN_ID.test(id));
  const size = Math.max(1, perCall);
  const out: string[] = [];
  for (let i = 0; i < safe.length; i += size)
    out.push(
      `${field} IN (${safe
        .slice(i, i + size)
        .map((id) => `'${id}'`)
        .join(', ')})`,
    );
  return out;
}
