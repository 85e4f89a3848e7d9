/**
 * Metric codes stay meaningful for documents the schema cannot run (issue 11, defect 8): an
 * operation type the schema lacks, a field it lacks, and a mutation over GET are counted by a
 * real code, never UNKNOWN, and the caller is told the same code.
 */
import { request } from 'undici';
import { beforeAll, expect, it } from 'vitest';
import { postQuery, useDesksGateway } from '../helpers/in-process.js';

const env = useDesksGateway();
let url: string;

// Started in beforeAll, the gateway lives for the whole file; the helper closes it after.
beforeAll(async () => {
  url = await env.start();
});

const errorCounts = async () => {
  const text = await (await request(url.replace('/graphql', '/metrics'))).body.text();
  return Object.fromEntries([...text.matchAll(/^deskgraph_graphql_errors_total\{code="([A-Z_]+)"\} (\d+)$/gm)].map(([, code, n]) => [code, Number(n)]));
};

it('counts documents the schema cannot run by a real code', async () => {
  const subscription = await postQuery(url, 'subscription { ticketChanged }');
  expect(subscription.body.errors).toEqual([
    expect.objectContaining({ message: 'This gateway has no subscription operations.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
  ]);
  // With or without a Mutation type in the schema, an unknown mutation field is a validation failure.
  const mutation = await postQuery(url, 'mutation { noSuchMutation }');
  expect(mutation.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  const overGet = await request(`${url}?query=${encodeURIComponent('mutation { noSuchMutation }')}`, { headers: { accept: 'application/json' } });
  expect(overGet.statusCode).toBe(405);
  expect(((await overGet.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_REQUEST');

  const counts = await errorCounts();
  expect(counts['UNKNOWN']).toBeUndefined();
  expect(counts['GRAPHQL_VALIDATION_FAILED']).toBe(2);
  expect(counts['BAD_REQUEST']).toBe(1);
});
