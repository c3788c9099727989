// How runs, metrics and values read in the tree: short, stable, and safe for any string a
// server sends (every server string goes through uiText, the one display rule).
import type { Metric, Run, RunStatus } from '../mlflow/types.ts';
import { escapeHiddenKeepingLines, uiText } from '../../../webviews/protocol/displayText.ts';
import { formatMetricValue } from '../../../webviews/protocol/metricValue.ts';
import { TAG, tagValue } from '../mlflow/types.ts';

/**
 * An MLflow note (`mlflow.note.content`, Markdown by design) for a tooltip, which renders it as
 * untrusted Markdown without HTML (so no command links, no raw HTML). Images are turned into plain
 * links: a hover must not fetch a URL a server chose (a tracking beacon that reveals the user).
 * Hidden and bidi characters follow the display rule; its line breaks stay (they are Markdown).
 */
export function noteMarkdown(note: string): string {
  return escapeHiddenKeepingLines(note).replace(/!\[/g, '\\![');
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Local time, minute precision: `2026-11-23 14:05`. */
export function formatTimestamp(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function runDuration(run: Run, now = Date.now()): string {
  const start = run.info.start_time;
  if (start === undefined) return '';
  const end = run.info.end_time ?? (run.info.status === 'RUNNING' ? now : undefined);
  return end === undefined ? '' : formatDuration(end - start);
}

/** `FINISHED · 2026-11-23 14:05 · 3m 2s · alice` */
export function runDescription(run: Run, now = Date.now()): string {
  const parts: string[] = [run.info.status];
  if (run.info.lifecycle_stage === 'deleted') parts[0] = `${run.info.status} (deleted)`;
  const start = formatTimestamp(run.info.start_time);
  if (start) parts.push(start);
  const duration = runDuration(run, now);
  if (duration) parts.push(duration);
  const user = run.info.user_id || tagValue(run.data.tags, TAG.user);
  if (user) parts.push(uiText(user, 40));
  return parts.join(' · ');
}

/**
 * `0.79 (step 2)`; the step only when it tells something: a run whose metrics all sit at step 0
 * logged single values, and "(step 0)" on each of them is noise.
 */
export function metricDescription(m: Metric, runMetrics: readonly Metric[]): string {
  const value = formatMetricValue(m.value);
  return runMetrics.some((x) => x.step !== 0) ? `${value} (step ${m.step})` : value;
}

/** The Tags group's count: `2`, `2 (3 system)`, or `(3 system)` when the run has only system tags. */
export function tagsCount(user: number, system: number): string {
  if (system === 0) return String(user);
  return user === 0 ? `(${system} system)` : `${user} (${system} system)`;
}

/** The codicon id and theme colour id for a status, so the tree reads at a glance. */
export function statusIcon(status: RunStatus): { icon: string; color?: string } {
  switch (status) {
    case 'RUNNING':
      return { icon: 'sync~spin', color: 'charts.blue' };
    case 'SCHEDULED':
      return { icon: 'clock', color: 'charts.yellow' };
    case 'FINISHED':
      return { icon: 'pass', color: 'testing.iconPassed' };
    case 'FAILED':
      return { icon: 'error', color: 'testing.iconFailed' };
    case 'KILLED':
      return { icon: 'circle-slash', color: 'disabledForeground' };
  }
}
