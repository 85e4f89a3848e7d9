/**
 * Refs and global ids are the caller's input that reaches vendor URLs. For any string: the check
 * either accepts it (and then it is safe as a path segment) or refuses it with BAD_USER_INPUT,
 * never another exception; and nothing reaches a vendor unless it was accepted — checked at the
 * ticket loader (where a GraphQL ref enters) and end to end through GraphQL.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/connectors/connector.js';
import { DeskGraphError } from '../../src/domain/errors.js';
import { decodeTicketId, encodeGlobalId, ticketId } from '../../src/domain/global-id.js';
import type { Ticket } from '../../src/domain/model.js';
import { PROVIDERS, type Provider } from '../../src/domain/provider.js';
import { checkRef, isValidRef } from '../../src/domain/refs.js';
import { MemoryTicketStore } from '../../src/stores/memory-ticket-store.js';
import { createTicketLoader } from '../../src/server/ticket-loader.js';
import { TicketService, type ProviderRuntime } from '../../src/upstream/ticket-service.js';
import { testGate } from '../helpers/gate.js';
import { BUG_REF, MISSING_REF, PROVIDERS_CONFIG, sampleTicket, startTestGateway, type TestGateway } from '../server/fixtures.js';
import { anyRef, FC_PARAMS, provider, VALID_REF } from './arbitraries.js';

/** Runs `fn`; its failure, if any, must be DeskGraphError BAD_USER_INPUT. */
function outcome<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: DeskGraphError } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    expect(error).toBeInstanceOf(DeskGraphError);
    expect((error as DeskGraphError).code).toBe('BAD_USER_INPUT');
    return { ok: false, error: error as DeskGraphError };
  }
}

describe('checkRef and isValidRef', () => {
  it('accept a string or refuse it with BAD_USER_INPUT, and agree with each other', () => {
    fc.assert(
      fc.property(provider, anyRef, (p, ref) => {
        const result = outcome(() => checkRef(p, ref));
        expect(result.ok).toBe(isValidRef(p, ref));
        if (result.ok) expect(result.value).toBe(ref);
        else {
          expect([result.error.provider, result.error.ref]).toEqual([p, ref]);
          // The message quotes at most 64 characters of what was sent.
          expect(result.error.message.length).toBeLessThan(260);
        }
      }),
      { ...FC_PARAMS, numRuns: 5000 },
    );
  });

  it('accept only refs that are already safe as a URL path segment', () => {
    fc.assert(
      fc.property(provider, anyRef, (p, ref) => {
        if (!isValidRef(p, ref)) return;
        expect(encodeURIComponent(ref)).toBe(ref);
        expect(ref).not.toMatch(/^\.+$/);
      }),
      { ...FC_PARAMS, numRuns: 5000 },
    );
  });

  it('accept every ref of the documented shapes', () => {
    for (const p of PROVIDERS) {
      fc.assert(fc.property(VALID_REF[p], (ref) => isValidRef(p, ref)), { ...FC_PARAMS, numRuns: 500 });
    }
  });
});

describe('decodeTicketId', () => {
  /** Ids that pass the alphabet check: base64url of "Ticket:PROVIDER:<anything>" and near misses. */
  const idLike = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,420}$/),
    fc.tuple(fc.constantFrom('Ticket', 'Message', 'Attachment', 'ticket', ''), fc.constantFrom(...PROVIDERS, 'hostup', 'ZENDESK', ''), anyRef).map(
      ([kind, p, ref]) => Buffer.from(`${kind}:${p}:${ref}`, 'utf8').toString('base64url'),
    ),
    fc.tuple(provider, anyRef).map(([p, ref]) => encodeGlobalId('Ticket', p, ref)),
  );

  it('returns a readable ticket key or refuses with BAD_USER_INPUT, for any string', () => {
    fc.assert(
      fc.property(idLike, (id) => {
        const result = outcome(() => decodeTicketId(id));
        if (result.ok) expect(isValidRef(result.value.provider, result.value.ref)).toBe(true);
        else expect(result.error.message).toMatch(/is not a DeskGraph ticket id\.$/);
      }),
      { ...FC_PARAMS, numRuns: 5000 },
    );
  });

  it('round-trips every valid ticket key', () => {
    const key = provider.chain((p) => VALID_REF[p].map((ref) => ({ provider: p, ref })));
    fc.assert(
      fc.property(key, ({ provider: p, ref }) => {
        const id = ticketId(p, ref);
        expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeTicketId(id)).toEqual({ provider: p, ref });
      }),
      { ...FC_PARAMS, numRuns: 2000 },
    );
  });
});

describe('the ticket loader over the TicketService', () => {
  class Recorder implements Connector {
    readonly refs: string[] = [];
    constructor(readonly provider: Provider) {}
    async fetchTicket(ref: string): Promise<Ticket> {
      this.refs.push(ref);
      return sampleTicket(this.provider, ref);
    }
  }

  it('asks a vendor only for refs that passed the check, and refuses the rest with BAD_USER_INPUT', async () => {
    const recorders = new Map(PROVIDERS.map((p) => [p, new Recorder(p)]));
    const service = new TicketService({
      providers: new Map<Provider, ProviderRuntime>(
        PROVIDERS.map((p) => [
          p,
          { connector: recorders.get(p)!, gate: testGate(p), retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 }, timeoutMs: 1000, ttlSeconds: 0 },
        ]),
      ),
      cache: new MemoryTicketStore({ maxBytes: 1024 * 1024 }),
      staleSeconds: 0,
      notFoundSeconds: 0,
    });
    await fc.assert(
      fc.asyncProperty(provider, anyRef, async (p, ref) => {
        const recorder = recorders.get(p)!;
        const before = recorder.refs.length;
        const read = await createTicketLoader(service).load({ provider: p, ref }).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (isValidRef(p, ref)) {
          expect(read.ok && read.value.ticket.ref).toBe(ref);
          expect(recorder.refs.slice(before)).toEqual([ref]);
        } else {
          expect(read.ok ? undefined : (read.error as DeskGraphError).code).toBe('BAD_USER_INPUT');
          expect(recorder.refs.length).toBe(before);
        }
      }),
      { ...FC_PARAMS, numRuns: 1000 },
    );
  });
});

describe('end to end through GraphQL', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ providers: PROVIDERS_CONFIG });
  });

  const QUERY = `query($p: Provider!, $r: String!, $refs: [TicketRefInput!]!, $id: ID!) {
    ticket(provider: $p, ref: $r) { ref }
    tickets(refs: $refs) { ref }
    node(id: $id) { id }
  }`;
  // The fixture's connectors fail on purpose for two refs; every other valid ref reads fine.
  const ref = anyRef.filter((value) => value !== MISSING_REF && value !== BUG_REF);
  const refInput = fc.record({ provider, ref });

  it('never lets an invalid ref reach a vendor, and answers each bad input with BAD_USER_INPUT', async () => {
    await fc.assert(
      fc.asyncProperty(provider, ref, fc.array(refInput, { maxLength: 6 }), fc.oneof(fc.string({ maxLength: 60 }), refInput.map((r) => ticketId(r.provider, r.ref))), async (p, r, refs, id) => {
        const response = await gateway.query(QUERY, { p, r, refs, id });
        expect(response.status).toBe(200);
        for (const error of response.json.errors ?? []) expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
        const data = response.json.data as { ticket: unknown; tickets: unknown[] };
        expect(data.ticket === null).toBe(!isValidRef(p, r));
        expect(data.tickets.map((ticket) => ticket === null)).toEqual(refs.map((input) => !isValidRef(input.provider, input.ref)));
      }),
      { ...FC_PARAMS, numRuns: 150 },
    );
    // Every ref any vendor was asked for had passed the check.
    for (const p of PROVIDERS) {
      for (const ref of gateway.connectors[p].calls) expect(isValidRef(p, ref), `${p} ${JSON.stringify(ref)}`).toBe(true);
    }
    expect(gateway.upstreamCalls()).toBeGreaterThan(0);
  });
});
