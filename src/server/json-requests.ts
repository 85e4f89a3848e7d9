/**
 * Cross-site request forgery. A browser sends a POST with a body of
 * `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain` to any site without
 * asking first (no CORS preflight), with the visitor's cookies and network position: yoga would
 * parse the first two and run them. DeskGraph has no uploads and no form posts, so every POST
 * must say it is JSON (`application/json`, `application/graphql+json`) or a GraphQL document
 * (`application/graphql`); none of those can be sent cross-site without a preflight, which an
 * origin not in `server.cors.origins` never passes. Anything else is HTTP 415 and never runs.
 *
 * GET stays open for queries (GraphQL over HTTP): a cross-site page cannot read its answer, and
 * yoga refuses mutations over GET.
 */
import type { Plugin } from 'graphql-yoga';
import { graphqlErrorResponse } from './http-errors.js';
import { currentRequest } from './request-id.js';

const ACCEPTED = new Set(['application/json', 'application/graphql+json', 'application/graphql']);

/** The media type of a `Content-Type` value, lower-cased, without parameters; undefined for a list. */
export function mediaType(contentType: string | null): string | undefined {
  if (contentType === null || contentType.includes(',')) return undefined;
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export function useJsonRequestsOnly(): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'POST') return;
      const type = mediaType(request.headers.get('content-type'));
      if (type !== undefined && ACCEPTED.has(type)) return;
      const state = currentRequest();
      state.log.info({ contentType: type ?? null }, 'refused a POST that is not JSON');
      endResponse(
        graphqlErrorResponse(
          fetchAPI,
          415,
          'POST /graphql accepts Content-Type: application/json only (no form posts, no uploads).',
          { code: 'BAD_REQUEST', requestId: state.id },
          { 'accept-post': 'application/json', 'x-request-id': state.id },
        ),
      );
    },
  };
}
