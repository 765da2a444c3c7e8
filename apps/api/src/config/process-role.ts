/**
 * What one process does (`PROCESS_ROLE`, docs/production.md "Process roles"): `all` serves HTTP
 * and runs every consumer and job; `api` serves HTTP without the `once` consumers and the leased
 * jobs; `worker` runs those and answers only /healthz, /readyz and /metrics.
 */
export type ProcessRole = 'all' | 'api' | 'worker';
export const PROCESS_ROLES: readonly ProcessRole[] = ['all', 'api', 'worker'];

/** The problem with a role on this event bus, if any: a `once` consumer left to another process only reaches it through a broker. */
export function processRoleProblem(role: ProcessRole, eventBusUrl: string): string | null {
  if (role === 'all' || eventBusUrl !== 'memory') return null;
  return `PROCESS_ROLE: "${role}" splits the event consumers between processes, which needs a shared event bus (EVENT_BUS_URL=redis://… or kafka://…); with the in-process bus the other process's consumers would never see this one's events`;
}
