/** A plain unified ticket for unit tests: a HostUp-like ticket readable by id or number. */
import type { Ticket } from '../../src/domain/model.js';
import type { Provider } from '../../src/domain/provider.js';
import { checkRef, type CheckedRef } from '../../src/domain/refs.js';

export function testTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    provider: 'HOSTUP',
    ref: 'tkt_abc',
    nativeId: 'tkt_abc',
    number: '930734',
    subject: 'Question about my domain',
    description: null,
    status: 'OPEN',
    vendorStatus: 'open',
    statusLabel: null,
    priority: 'LOW',
    vendorPriority: 'low',
    requester: null,
    assignee: null,
    group: null,
    category: null,
    createdAt: null,
    updatedAt: null,
    resolvedAt: null,
    closedAt: null,
    messages: [],
    attachments: [],
    ...overrides,
  };
}

/** A provider and a ref as the ticket service takes them: the ref checked, as the loader checks it. */
export function key(provider: Provider, ref: string): [Provider, CheckedRef] {
  return [provider, checkRef(provider, ref)];
}
