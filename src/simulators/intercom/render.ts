/**
 * A stored ticket as one `Intercom-Version` sends it (see versions.ts for the table). Works on
 * any stored shape (2.12+ as the sample desk keeps it, or an older one added by a test): the
 * state is read in either form and written in the version's.
 */
import { since, type VersionRank } from './versions.js';

type Json = Record<string, unknown>;

/** The display labels Intercom gives its four built-in states. */
const DEFAULT_LABELS: Record<string, [internal: string, external: string]> = {
  submitted: ['Submitted', 'Submitted'],
  in_progress: ['In progress', 'In progress'],
  waiting_on_customer: ['Waiting on customer', 'Waiting on you'],
  resolved: ['Resolved', 'Resolved'],
};

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The state as an object, whichever form the stored ticket has it in. */
function stateObject(ticket: Json): Json | null {
  const state = ticket['ticket_state'];
  if (isObject(state)) return state;
  if (typeof state !== 'string') return null;
  const [internal, external] = DEFAULT_LABELS[state] ?? [state, state];
  return {
    type: 'ticket_state',
    id: String(4000 + Object.keys(DEFAULT_LABELS).indexOf(state)),
    category: state,
    internal_label: ticket['ticket_state_internal_label'] ?? internal,
    external_label: ticket['ticket_state_external_label'] ?? external,
  };
}

/** 2.16 and Preview type assignee ids as integers; earlier versions as strings. */
function assigneeId(value: unknown, integers: boolean): unknown {
  if (value === null || value === undefined) return value;
  if (integers) return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof value === 'number' ? String(value) : value;
}

function renderPart(part: unknown, v: VersionRank): unknown {
  if (!isObject(part)) return part;
  const out: Json = { ...part };
  if (!since(v, '2.13')) delete out['app_package_code'];
  if (!since(v, '2.14')) delete out['updated_attribute_data'];
  return out;
}

export function renderTicket(stored: unknown, v: VersionRank): unknown {
  if (!isObject(stored)) return stored;
  const out: Json = { ...stored };
  const state = stateObject(stored);
  delete out['ticket_state_internal_label'];
  delete out['ticket_state_external_label'];
  if (since(v, '2.12')) {
    out['ticket_state'] = state;
  } else {
    out['ticket_state'] = state?.['category'] ?? null;
    out['ticket_state_internal_label'] = state?.['internal_label'] ?? null;
    out['ticket_state_external_label'] = state?.['external_label'] ?? null;
  }
  if (!since(v, '2.10')) {
    // The 2.9 ticket has no display number, category, open/snoozed flags or linked objects.
    for (const key of ['ticket_id', 'category', 'open', 'snoozed_until', 'linked_objects']) delete out[key];
  }
  if (!since(v, '2.16')) delete out['previous_ticket_state_id'];
  const integers = since(v, '2.16');
  out['admin_assignee_id'] = assigneeId(stored['admin_assignee_id'], integers);
  out['team_assignee_id'] = assigneeId(stored['team_assignee_id'], integers);
  const parts = stored['ticket_parts'];
  if (isObject(parts) && Array.isArray(parts['ticket_parts'])) {
    out['ticket_parts'] = { ...parts, ticket_parts: parts['ticket_parts'].map((part) => renderPart(part, v)) };
  }
  return out;
}
