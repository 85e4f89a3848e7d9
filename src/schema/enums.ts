/** The enums of CONTRACT §1, from the domain's constant lists. */
import {
  AUTHOR_KINDS,
  BODY_FORMATS,
  CACHE_STATUSES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  VISIBILITIES,
} from '../domain/model.js';
import { PROVIDERS } from '../domain/provider.js';
import { builder } from './builder.js';

export const ProviderEnum = builder.enumType('Provider', { values: PROVIDERS });
export const TicketStatusEnum = builder.enumType('TicketStatus', { values: TICKET_STATUSES });
export const TicketPriorityEnum = builder.enumType('TicketPriority', { values: TICKET_PRIORITIES });
export const AuthorKindEnum = builder.enumType('AuthorKind', { values: AUTHOR_KINDS });
export const VisibilityEnum = builder.enumType('Visibility', { values: VISIBILITIES });
export const BodyFormatEnum = builder.enumType('BodyFormat', { values: BODY_FORMATS });
export const CacheStatusEnum = builder.enumType('CacheStatus', { values: CACHE_STATUSES });
