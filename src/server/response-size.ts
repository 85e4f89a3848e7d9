/**
 * The last bound on what one answer costs (`limits.responseBytes`). `limits.ticketsPerRequest`
 * counts tickets, but a ticket's size is the vendor's: 200 tickets of a 1,000-message thread with
 * 256 KiB bodies would be gigabytes of JSON, which V8 cannot even build as one string (a
 * `RangeError` and a 500 after the memory is spent). So before yoga serializes a result, one walk
 * measures it and stops as soon as it passes the limit. Over the limit, the result is replaced by
 * one BAD_USER_INPUT error naming the limit: what was read stays cached, nothing of it is sent.
 *
 * The walk counts what `JSON.stringify` writes, with each string as its length plus quotes (no
 * escapes): a lower bound of the real size, so an answer that fits is never refused, and an
 * over-limit one is caught before the serializer starts. It costs one step per value in the
 * result, never per character.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Whether `value` serializes to more than `limit` characters of JSON (escapes not counted). */
export function jsonSizeOver(value: unknown, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') size += item.length + 2;
    else if (typeof item === 'number') size += Number.isFinite(item) ? String(item).length : 4;
    else if (typeof item === 'boolean') size += item ? 4 : 5;
    else if (item === null || typeof item !== 'object') size += 4;
    else if (Array.isArray(item)) {
      size += 2 + Math.max(0, item.length - 1);
      for (const element of item) stack.push(element === undefined ? null : element);
    } else {
      // Runs on every answer: no array of entries per object (graphql-js results have no prototype).
      let members = 0;
      for (const key of Object.keys(item)) {
        const field = (item as Record<string, unknown>)[key];
        if (field === undefined) continue;
        members += 1;
        size += key.length + 3;
        stack.push(field);
      }
      size += 2 + Math.max(0, members - 1);
    }
    if (size > limit) return true;
  }
  return false;
}

export interface ResponseSizeLimitOptions {
  /** `limits.responseBytes`. */
  maxBytes: number;
}

export function useResponseSizeLimit(options: ResponseSizeLimitOptions): Plugin {
  const { maxBytes } = options;
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result || !jsonSizeOver(result, maxBytes)) return;
          const error = new GraphQLError(
            `This answer would be more than ${maxBytes} bytes of JSON (limits.responseBytes), so none of it is sent: ask for fewer tickets or fields (bodyHtml and bodyText are the largest).`,
            { extensions: { code: 'BAD_USER_INPUT', limit: 'responseBytes' } },
          );
          setResult({ data: null, errors: [error] } satisfies ExecutionResult);
        },
      };
    },
  };
}
