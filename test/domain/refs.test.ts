import { describe, expect, it } from 'vitest';
import { decodeTicketId, ticketId } from '../../src/domain/global-id.js';
import type { Provider } from '../../src/domain/provider.js';
import { checkRef, isValidRef } from '../../src/domain/refs.js';

describe('refs (CONTRACT §2)', () => {
  it.each<[Provider, string, boolean]>([
    ['HEADONI', '1247', true],
    ['HEADONI', '1490375649312800768', true],
    ['HEADONI', '12a', false],
    ['HEADONI', '', false],
    ['TICKITI', '220009', true],
    ['TICKITI', '-1', false],
    ['INTERCOM', '1295', true],
    ['INTERCOM', '1295/../admins', false],
    ['HOSTUP', 'tkt_01hxa3b4c5d6e7f8g9h0j1k2m3', true],
    ['HOSTUP', '930734', true],
    ['HOSTUP', 'tkt_ABC', false],
    ['HOSTUP', 'tkt_', false],
    ['HOSTUP', 'ticket_1', false],
    ['TEAMBATTLES', 'cl9x-ab_Z', true],
    ['TEAMBATTLES', 'a'.repeat(128), true],
    ['TEAMBATTLES', 'a'.repeat(129), false],
    ['TEAMBATTLES', 'a b', false],
    ['TEAMBATTLES', 'a%2Fb', false],
  ])('%s %j valid: %s', (provider, ref, valid) => {
    expect(isValidRef(provider, ref)).toBe(valid);
  });

  it('says what a valid ref looks like', () => {
    expect(() => checkRef('HOSTUP', 'TKT_1')).toThrow(
      '"TKT_1" is not a valid HOSTUP ref: expected "tkt_" followed by lower-case letters or digits, or a ticket number.',
    );
  });
});

describe('global ids', () => {
  it('round-trips a ticket id', () => {
    const id = ticketId('HOSTUP', 'tkt_abc');
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeTicketId(id)).toEqual({ provider: 'HOSTUP', ref: 'tkt_abc' });
  });

  it.each([
    ['garbage', 'not-base64!'],
    ['another kind', Buffer.from('Message:HOSTUP:tkt_abc').toString('base64url')],
    ['unknown provider', Buffer.from('Ticket:ZENDESK:1').toString('base64url')],
    ['invalid ref inside', Buffer.from('Ticket:HEADONI:../1').toString('base64url')],
    ['empty', ''],
  ])('refuses %s with BAD_USER_INPUT', (_what, id) => {
    expect(() => decodeTicketId(id)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
