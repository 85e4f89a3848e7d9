/** Gateway attachment links: the public origin they name, and the ids inside them. */
import { describe, expect, it } from 'vitest';
import { decodeAttachmentFileId, encodeAttachmentFileId } from '../../src/domain/attachment-file.js';
import { attachmentLinks, requestOrigin } from '../../src/server/attachment-links.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { postQuery, sampleRef, startDesks, startGatewayOver } from '../helpers/in-process.js';

const headers = (values: Record<string, string>) => new Headers(values);
const key = { provider: 'HOSTUP' as const, ref: 'tkt_01abc', nativeId: 'tatt_01file' };
const id = encodeAttachmentFileId(key);

describe('attachment links', () => {
  it('use server.publicUrl, path prefix included, whatever Host says', () => {
    const links = attachmentLinks({ providers: new Set(['HOSTUP']), publicUrl: 'https://support.example.com/deskgraph/' }, headers({ host: 'evil.example' }));
    expect(links.url(key)).toBe(`https://support.example.com/deskgraph/attachments/${id}`);
    expect(links.serves('HOSTUP')).toBe(true);
    expect(links.serves('INTERCOM')).toBe(false);
  });

  it("use the request's Host and X-Forwarded-Proto without publicUrl", () => {
    const links = attachmentLinks({ providers: new Set(['HOSTUP']) }, headers({ host: 'gw.internal:4000', 'x-forwarded-proto': 'https, http' }));
    expect(links.url(key)).toBe(`https://gw.internal:4000/attachments/${id}`);
  });

  it.each([
    ['a Host with a path', { host: 'evil.example/x' }],
    ['a Host with user info', { host: 'user@evil.example' }],
    ['no Host', {}],
  ])('make no link for %s', (_what, values) => {
    expect(requestOrigin(headers(values))).toBeUndefined();
    expect(attachmentLinks({ providers: new Set(['HOSTUP']) }, headers(values)).url(key)).toBeNull();
  });

  it('ignore an X-Forwarded-Proto that is not http or https', () => {
    expect(requestOrigin(headers({ host: '[::1]:4000', 'x-forwarded-proto': 'javascript' }))).toBe('http://[::1]:4000');
  });

  it('decode only ids this gateway makes', () => {
    expect(decodeAttachmentFileId(id)).toEqual(key);
    for (const forged of [
      '',
      'not base64!',
      Buffer.from('HOSTUP\n../admin\nx').toString('base64url'),
      Buffer.from('NOPE\ntkt_01abc\nx').toString('base64url'),
      Buffer.from('HOSTUP\ntkt_01abc\n../x').toString('base64url'),
      Buffer.from('HOSTUP\ntkt_01abc').toString('base64url'),
      'A'.repeat(600),
    ]) {
      expect(() => decodeAttachmentFileId(forged), forged).toThrow('This is not a DeskGraph attachment link.');
    }
  });
});

describe('Attachment.url', () => {
  it("is a gateway link under server.publicUrl for HostUp and Tickiti, and Intercom's own URL", async () => {
    const desks = await startDesks();
    const { gateway, url } = await startGatewayOver(desks, createLogger('silent'), {}, { server: { publicUrl: 'https://support.example.com/dg' } });
    try {
      const query = 'query($p: Provider!, $r: String!) { ticket(provider: $p, ref: $r) { ref attachments { nativeId url } messages { attachments { nativeId url } } } }';
      for (const provider of ['HOSTUP', 'TICKITI'] as const) {
        const answer = await postQuery(url, query, { p: provider, r: sampleRef(provider, 0) });
        const ticket = answer.body.data!['ticket'] as { ref: string; attachments: { nativeId: string; url: string }[]; messages: { attachments: { nativeId: string; url: string }[] }[] };
        const files = [...ticket.attachments, ...ticket.messages.flatMap((message) => message.attachments)];
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) {
          expect(file.url).toBe(`https://support.example.com/dg/attachments/${encodeAttachmentFileId({ provider, ref: ticket.ref, nativeId: file.nativeId })}`);
        }
      }
      const intercom = await postQuery(url, 'query($r: String!) { ticket(provider: INTERCOM, ref: $r) { attachments { url } } }', { r: sampleRef('INTERCOM', 0) });
      const urls = (intercom.body.data!['ticket'] as { attachments: { url: string }[] }).attachments.map((file) => file.url);
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.every((link) => link.startsWith('https://downloads.intercomcdn.com/'))).toBe(true);
    } finally {
      await gateway.close();
      await desks.close();
    }
  });
});
