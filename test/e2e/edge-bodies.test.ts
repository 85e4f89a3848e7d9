/**
 * `bodies.remoteImages` and `bodies.maxImageDimension` reach the bodies a caller reads (issue 11,
 * defect 8): a Tickiti ticket whose reply holds an http tracking pixel, an https image with an
 * absurd width and a cid image, read through the gateway over real HTTP.
 */
import { beforeEach, expect, it } from 'vitest';
import type { TickitiShowData } from '../../src/connectors/tickiti/wire.js';
import { postQuery, useDesksGateway } from '../helpers/in-process.js';

const NUMBER = 990001;
const HTML = '<p>Thanks!</p><img src="http://tracker.example/open.gif" width="1" height="1"><img src="https://cdn.example/logo.png" width="99999999" height="40"><img src="cid:sig" alt="sig">';

const env = useDesksGateway();

// The crafted ticket, added again after the helper's reset (which puts back only the samples).
beforeEach(() => {
  const store = (env.desks.simulators.TICKITI as unknown as { store: { list(): readonly TickitiShowData[]; add(ticket: TickitiShowData): void } }).store;
  const sample = structuredClone(store.list()[0]!);
  sample.ticket = { ...sample.ticket, id: String(NUMBER * 10), number: NUMBER as never };
  sample.responses = [{ ...sample.responses[0]!, html: HTML, is_internal: false }];
  store.add(sample);
});

async function bodyHtml(extra: Record<string, unknown>): Promise<string | null> {
  const answer = await postQuery(await env.start({}, extra), `{ ticket(provider: TICKITI, ref: "${NUMBER}") { messages { bodyHtml } } }`);
  expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
  return (answer.body.data?.['ticket'] as { messages: { bodyHtml: string | null }[] }).messages[0]!.bodyHtml;
}

it('by default drops http images and cuts image sizes to 2000', async () => {
  expect(await bodyHtml({})).toBe('<p>Thanks!</p><img src="https://cdn.example/logo.png" width="2000" height="40" /><img src="cid:sig" alt="sig" />');
});

it('allow keeps http images; maxImageDimension is configurable', async () => {
  expect(await bodyHtml({ bodies: { remoteImages: 'allow', maxImageDimension: 600 } })).toBe(
    '<p>Thanks!</p><img src="http://tracker.example/open.gif" width="1" height="1" /><img src="https://cdn.example/logo.png" width="600" height="40" /><img src="cid:sig" alt="sig" />',
  );
});

it('drop keeps no remote image', async () => {
  expect(await bodyHtml({ bodies: { remoteImages: 'drop' } })).toBe('<p>Thanks!</p><img src="cid:sig" alt="sig" />');
});
