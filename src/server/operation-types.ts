/**
 * An operation of a type the schema does not have (`subscription { … }`; `mutation` on a schema
 * without Mutation) is the caller's mistake, but graphql-js 16 only finds it while executing
 * ("Schema is not configured to execute subscription operation."), as an error without a code,
 * which metrics could only count as UNKNOWN. Checked here as a validation rule instead:
 * GRAPHQL_VALIDATION_FAILED, like every other document the schema cannot run (graphql-js 17
 * has this rule as KnownOperationTypesRule).
 */
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function knownOperationTypes(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      const root =
        node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      if (root) return;
      context.reportError(
        new GraphQLError(`This gateway has no ${node.operation} operations.`, {
          nodes: node,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      );
    },
  };
}

export function useKnownOperationTypes(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(knownOperationTypes);
    },
  };
}
