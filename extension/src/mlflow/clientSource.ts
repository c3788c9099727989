// How long-lived holders (run listings, chart and leaderboard controllers) reach a server: a
// function that returns the server's current client at each call, because the extension replaces
// a server's client whenever its settings or credentials change. Tests and benchmarks, which own
// their client, may pass it directly.
import type { MlflowClient } from './client.ts';

export type ClientSource = MlflowClient | (() => MlflowClient);

export function currentClient(source: ClientSource): MlflowClient {
  return typeof source === 'function' ? source() : source;
}
