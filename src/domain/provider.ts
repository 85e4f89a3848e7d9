/** The helpdesks DeskGraph speaks to, as they appear in the GraphQL `Provider` enum. */
export const PROVIDERS = ['HEADONI', 'TICKITI', 'INTERCOM', 'HOSTUP', 'TEAMBATTLES'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The lower-case name a provider has in the configuration file (`providers.headoni`). */
export type ProviderKey = Lowercase<Provider>;

export function providerKey(provider: Provider): ProviderKey {
  return provider.toLowerCase() as ProviderKey;
}

export function isProvider(value: unknown): value is Provider {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}
