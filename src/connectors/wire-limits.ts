/**
 * Bounds on how many items a vendor payload may hold, checked before any element is validated.
 * zod's `z.array(item)` visits every element (and collects an issue for each bad one), so a
 * 10⁶-element `messages` array would cost a million validations, and a million mapped messages
 * after it, before failing or succeeding. The count is checked first, in O(1): over it, the
 * ticket is UPSTREAM_BAD_RESPONSE ("too large") and nothing in the array is looked at.
 */
import { z } from 'zod';

/** Messages one ticket may carry (README "Vendor payload bounds"). */
export const MAX_MESSAGES_PER_TICKET = 1000;
/** Attachments one message (or one ticket's root list) may carry (README "Vendor payload bounds"). */
export const MAX_ATTACHMENTS_PER_MESSAGE = 100;

/** An array of at most `max` items, each `item`; the length is checked before any item is. */
export function boundedArray<T extends z.ZodType>(item: T, max: number, what: string) {
  return z
    .custom<unknown[]>((value) => Array.isArray(value) && value.length <= max, {
      error: (issue) =>
        Array.isArray(issue.input) ? `more than ${max} ${what}, over DeskGraph's bound` : `expected an array of ${what}`,
    })
    .pipe(z.array(item));
}

/** Messages of one ticket: at most MAX_MESSAGES_PER_TICKET. */
export function messageList<T extends z.ZodType>(message: T) {
  return boundedArray(message, MAX_MESSAGES_PER_TICKET, 'messages');
}

/** Attachments of one message: at most MAX_ATTACHMENTS_PER_MESSAGE. */
export function attachmentList<T extends z.ZodType>(attachment: T) {
  return boundedArray(attachment, MAX_ATTACHMENTS_PER_MESSAGE, 'attachments');
}
