/** ProviderInfo and `Query.providers`: each provider, configured or not, never a credential. */
import type { ProviderDescription } from '../server/providers.js';
import { builder } from './builder.js';
import { ProviderEnum } from './enums.js';

export const ProviderInfoRef = builder.objectRef<ProviderDescription>('ProviderInfo').implement({
  fields: (t) => ({
    provider: t.expose('provider', { type: ProviderEnum }),
    configured: t.exposeBoolean('configured'),
    origin: t.exposeString('origin', { nullable: true, description: "The vendor API's origin (scheme, host, port)." }),
    timeoutMs: t.exposeInt('timeoutMs', { nullable: true }),
    ttlSeconds: t.exposeInt('ttlSeconds', { nullable: true }),
    maxConcurrency: t.exposeInt('maxConcurrency', { nullable: true }),
    requestsPerSecond: t.exposeFloat('requestsPerSecond', { nullable: true }),
    burst: t.exposeInt('burst', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  providers: t.field({
    type: [ProviderInfoRef],
    description: 'Every provider DeskGraph knows, configured or not.',
    resolve: (_root, _args, context) => context.directory.list(),
  }),
}));
