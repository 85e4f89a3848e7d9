/**
 * What the Intercom simulator knows about `Intercom-Version`, from Intercom's public OpenAPI
 * descriptions (intercom/Intercom-OpenAPI, `descriptions/<version>/api.intercom.io.yaml`). Kept
 * apart from the connector's list on purpose: the simulator is Intercom, not DeskGraph, so it
 * knows every version Intercom accepts (1.0 on), including those without tickets.
 *
 * | version | `/tickets/{id}` | `ticket_state` | `ticket_id` | assignee ids |
 * | --- | --- | --- | --- | --- |
 * | 1.0–2.8 | 400 `intercom_version_invalid` | — | — | — |
 * | 2.9 | yes | string + `ticket_state_*_label` | absent | strings, "0" = nobody |
 * | 2.10, 2.11 | yes | string + labels | string | strings |
 * | 2.12–2.15 | yes | object `{type,id,category,internal_label,external_label}` | string | strings |
 * | 2.16, Preview | yes | object | string | integers, 0 = nobody |
 *
 * `Preview` was called `Unstable` until April 2026; the old name is read as Preview. The value
 * is case-sensitive, as Intercom's is.
 */

const NUMBERED = [
  '1.0', '1.1', '1.2', '1.3', '1.4',
  '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9',
  '2.10', '2.11', '2.12', '2.13', '2.14', '2.15', '2.16',
] as const;

/** What a workspace's app package is set to when a request names no version. */
export const SIM_APP_VERSION = '2.14';

/** A version as an ordinal: its index among the numbered ones; Preview after all of them. */
export type VersionRank = number;

const PREVIEW_RANK: VersionRank = NUMBERED.length;
const rank = (version: string): VersionRank => NUMBERED.indexOf(version as (typeof NUMBERED)[number]);

/** The rank of an `Intercom-Version` value, or undefined when Intercom does not know it. */
export function versionRank(version: string): VersionRank | undefined {
  if (version === 'Preview' || version === 'Unstable') return PREVIEW_RANK;
  const found = rank(version);
  return found < 0 ? undefined : found;
}

/** `v` is `version` or later (Preview is later than every numbered version). */
export const since = (v: VersionRank, version: (typeof NUMBERED)[number]): boolean => v >= rank(version);

export const PREVIEW: VersionRank = PREVIEW_RANK;
