/**
 * `GET /tickets/{id}` answers in the shapes Intercom's public OpenAPI descriptions give for each
 * version (intercom/Intercom-OpenAPI, `descriptions/<version>/api.intercom.io.yaml`, response
 * example "Ticket found"): what changes between versions is kept exactly as documented, values are
 * our own. Every example is an unassigned ticket whose only part is a bodiless state event.
 */

const ticketType = {
  type: 'ticket_type',
  id: '75',
  name: 'Bug report',
  description: 'A bug a customer ran into.',
  icon: '🐞',
  workspace_id: 'ecahpwf5',
  archived: false,
  created_at: 1717021681,
  updated_at: 1717021681,
  is_internal: false,
  ticket_type_attributes: {
    type: 'list',
    data: [
      { type: 'ticket_type_attribute', id: '219', name: '_default_title_', data_type: 'string', input_options: null, order: 0, required_to_create: true },
      { type: 'ticket_type_attribute', id: '220', name: '_default_description_', data_type: 'string', input_options: null, order: 1, required_to_create: false },
    ],
  },
};

const stateEvent = {
  type: 'ticket_part',
  id: '107',
  part_type: 'ticket_state_updated_by_admin',
  ticket_state: 'submitted',
  previous_ticket_state: 'submitted',
  created_at: 1717021682,
  updated_at: 1717021682,
  author: { id: '991267748', type: 'admin', name: 'Ciaran Lee', email: 'admin438@email.com' },
  attachments: [],
  redacted: false,
};

/** 2.9: string state with both labels, no `ticket_id`, contacts as `{id, role}`, "0" assignees. */
export const V2_9 = {
  type: 'ticket',
  id: '450',
  ticket_attributes: { _default_title_: 'Checkout button does nothing', _default_description_: null },
  ticket_state: 'submitted',
  ticket_state_internal_label: 'Submitted',
  ticket_state_external_label: 'Submitted',
  ticket_type: ticketType,
  contacts: { type: 'contact.list', contacts: [{ id: '6657abf16abd0164c24b0df6', role: 'lead' }] },
  admin_assignee_id: '0',
  team_assignee_id: '0',
  created_at: 1717021682,
  updated_at: 1717021682,
  ticket_parts: { type: 'ticket_part.list', ticket_parts: [stateEvent], total_count: 1 },
};

/** 2.10: `ticket_id`, `category`, `open`, `linked_objects` appear; contacts are contact references. */
export const V2_10 = {
  type: 'ticket',
  id: '613',
  ticket_id: '22',
  ticket_attributes: { _default_title_: 'Checkout button does nothing', _default_description_: null },
  ticket_state: 'submitted',
  ticket_state_internal_label: 'Submitted',
  ticket_state_external_label: 'Submitted',
  ticket_type: { ...ticketType, category: 'Back-office' },
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: '6657ad816abd0166b52ae31a', external_id: 'dd380eeb-8d16' }] },
  admin_assignee_id: '0',
  team_assignee_id: '0',
  created_at: 1717022081,
  updated_at: 1717022082,
  ticket_parts: { type: 'ticket_part.list', ticket_parts: [{ ...stateEvent, id: '157' }], total_count: 1 },
  open: true,
  linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
  category: 'Back-office',
  is_shared: false,
};

/** 2.11: as 2.10, the state labels listed last. */
export const V2_11 = {
  type: 'ticket',
  id: '493',
  ticket_id: '52',
  ticket_attributes: { _default_title_: 'Checkout button does nothing', _default_description_: null },
  ticket_state: 'submitted',
  ticket_type: { ...ticketType, category: 'Back-office' },
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: '667d61c48a68186f43bafe91', external_id: '038050f6-d917' }] },
  admin_assignee_id: '0',
  team_assignee_id: '0',
  created_at: 1719493061,
  updated_at: 1719493061,
  ticket_parts: { type: 'ticket_part.list', ticket_parts: [{ ...stateEvent, id: '134' }], total_count: 1 },
  open: true,
  linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
  category: 'Back-office',
  is_shared: false,
  ticket_state_internal_label: 'Submitted',
  ticket_state_external_label: 'Submitted',
};

/** 2.14: `ticket_state` is an object and the `ticket_state_*_label` strings are gone; parts may carry `app_package_code`. */
export const V2_14 = {
  type: 'ticket',
  id: '631',
  ticket_id: '38',
  ticket_attributes: { _default_title_: 'Checkout button does nothing', _default_description_: null },
  ticket_state: { type: 'ticket_state', id: '8537', category: 'submitted', internal_label: 'Submitted', external_label: 'Submitted' },
  ticket_type: { ...ticketType, category: 'Back-office' },
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: '6762f2f61bb69f9f2193bc59', external_id: 'b16afa36-2637' }] },
  admin_assignee_id: '0',
  team_assignee_id: '0',
  created_at: 1734537974,
  updated_at: 1734537976,
  ticket_parts: { type: 'ticket_part.list', ticket_parts: [{ ...stateEvent, id: '185', app_package_code: 'test-integration' }], total_count: 1 },
  open: true,
  linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
  category: 'Back-office',
  is_shared: false,
};

/** Preview: as 2.14, with integer assignee ids ("If it's not assigned … it will return 0"). */
export const PREVIEW = {
  ...V2_14,
  admin_assignee_id: 0,
  team_assignee_id: 0,
  previous_ticket_state_id: null,
};

/** A reply part in the descriptions' shape. */
export function part(id: string, part_type: string, body: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'ticket_part',
    id,
    part_type,
    body,
    created_at: 1734537980 + Number(id),
    updated_at: 1734537980 + Number(id),
    author: { id: '991268047', type: 'admin', name: 'Ciaran Lee', email: 'admin509@email.com' },
    attachments: [],
    redacted: false,
    ...extra,
  };
}
