/**
 * GraphQL Code Generator: typed documents (client preset) for the operations in test/ and
 * examples/, generated from schema.graphql. `npm run codegen` writes them; CI runs
 * `npm run codegen:check` to fail when they are stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.graphql', 'examples/**/*.graphql'],
  ignoreNoDocuments: false,
  // NodeNext ESM: relative imports in the output need their `.js` extension.
  emitLegacyCommonJSImports: false,
  generates: {
    'generated/graphql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        strictScalars: true,
      },
    },
  },
};

export default config;
