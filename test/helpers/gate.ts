/** A provider gate for unit tests: generous limits unless a test narrows them. */
import type { Provider } from '../../src/domain/provider.js';
import { ProviderGate, type ProviderGateOptions } from '../../src/governance/provider-gate.js';
import { MemoryBudgetStore } from '../../src/stores/memory-budget-store.js';

export function testGate(provider: Provider, overrides: Partial<ProviderGateOptions> = {}): ProviderGate {
  return new ProviderGate({
    provider,
    store: new MemoryBudgetStore(),
    bucket: { ratePerSecond: 1000, burst: 1000 },
    maxConcurrency: 100,
    maxQueue: 1000,
    queueTimeoutMs: 2000,
    breaker: { failureThreshold: 5, openMs: 30_000 },
    ...overrides,
  });
}
