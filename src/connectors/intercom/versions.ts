/**
 * The `Intercom-Version` values DeskGraph can read tickets with, from Intercom's public OpenAPI
 * descriptions (intercom/Intercom-OpenAPI, `descriptions/<version>/api.intercom.io.yaml`):
 *
 * - 2.9 is the first version with the Tickets API (2.7 and 2.8 have no `/tickets` path; Intercom
 *   answers a resource outside the requested version with 400 `intercom_version_invalid`).
 * - 2.9–2.11 send `ticket_state` as a string with `ticket_state_*_label`; 2.12 on (and Preview)
 *   send an object `{type, id, category, internal_label, external_label}`.
 * - 2.16 and Preview type `admin_assignee_id` / `team_assignee_id` as integers (0 = unassigned).
 * - `Preview` is what Intercom renamed `Unstable` to (April 2026); the header value is
 *   case-sensitive. `Unstable` is kept because the official intercom-node SDK still offers it.
 *
 * The config schema validates `providers.intercom.version` against this list.
 */

export const INTERCOM_TICKET_VERSIONS = [
  '2.9',
  '2.10',
  '2.11',
  '2.12',
  '2.13',
  '2.14',
  '2.15',
  '2.16',
  'Preview',
  'Unstable',
] as const;

export type IntercomTicketVersion = (typeof INTERCOM_TICKET_VERSIONS)[number];

/**
 * The version sent when the configuration names none: what the official TypeScript SDK
 * (intercom/intercom-node, `BaseClient.ts`) sends by default, and the version Intercom's
 * description repository marks as the stable SDK source. It has the object `ticket_state`.
 */
export const DEFAULT_INTERCOM_VERSION: IntercomTicketVersion = '2.14';

const KNOWN: ReadonlySet<string> = new Set(INTERCOM_TICKET_VERSIONS);

export function isIntercomTicketVersion(value: string): value is IntercomTicketVersion {
  return KNOWN.has(value);
}
