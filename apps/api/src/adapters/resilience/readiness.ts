import type { BreakerRegistry } from './breaker';

/**
 * /readyz entries, one per guarded dependency: not ok while its circuit is open (the instance
 * keeps serving with fallbacks, so this reads `degraded`, never `not_ready`).
 */
export function breakerReadiness(registry: BreakerRegistry) {
  return registry.states().map((b) => ({
    name: `breaker:${b.name}`,
    check: async () => {
      const now = registry.get(b.name).snapshot();
      return now.state === 'open' || now.state === 'isolated'
        ? { ok: false, detail: `circuit ${now.state}` }
        : { ok: true, detail: `circuit ${now.state}` };
    },
  }));
}
