/** The Pothos builder: types of the context and scalars, and the plugins. It only builds. */
import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { GatewayContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
}>({
  // Without the directives plugin listed, federation's @key vanishes from the SDL.
  plugins: [DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
});
