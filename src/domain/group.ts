/** Builds the unified `Group` from a vendor's group id and name (CONTRACT §1). */
import { groupId } from './global-id.js';
import type { Group } from './model.js';
import type { Provider } from './provider.js';

/** `id` is the provider-qualified global id of `vendorId`; the raw id stays in `vendorId`. */
export function groupOf(provider: Provider, vendorId: string | null, name: string | null): Group {
  return { id: vendorId === null ? null : groupId(provider, vendorId), vendorId, name };
}
