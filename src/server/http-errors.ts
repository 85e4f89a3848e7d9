/**
 * The GraphQL-over-HTTP error responses plugins make before GraphQL runs (401, 403, 413, 415,
 * 429…): `{ errors: [{ message, extensions }] }` with the CONTRACT §3 code, so a client reads
 * them as it reads any GraphQL error. The metrics plugin counts their codes (`earlyErrorCode`),
 * as no result reaches `onResultProcess` for them.
 */
const earlyErrors = new WeakMap<Response, string>();

export function graphqlErrorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  message: string,
  extensions: Record<string, unknown>,
  headers: Record<string, string> = {},
): Response {
  const response = new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
  if (typeof extensions['code'] === 'string') earlyErrors.set(response, extensions['code']);
  return response;
}

/** The error code of a response `graphqlErrorResponse` made. */
export function earlyErrorCode(response: Response): string | undefined {
  return earlyErrors.get(response);
}
