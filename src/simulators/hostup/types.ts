/**
 * HostUp's support ticket payload as its docs publish it
 * (https://developer.hostup.se/endpoints/support/get-v2-support-tickets-id). The simulator's own
 * copy, written from the vendor's page, never from DeskGraph's connector. Ticket fields the page
 * marks optional are optional here; `linkedServices[].details` is any object (or null) the
 * linked service chooses.
 */
export interface HostUpSimAttachment {
  id: string;
  filename: string | null;
  extension: string | null;
  mimeType: string | null;
  downloadUrl: string;
}

export interface HostUpSimMessage {
  id: string;
  ticketId: string;
  sentAt: string | null;
  body: string | null;
  sender: 'customer' | 'staff' | 'automation';
  senderName: string | null;
  encrypted: boolean;
  attachments: HostUpSimAttachment[];
}

export interface HostUpSimLinkedService {
  serviceType: string;
  serviceId: string | null;
  serviceName: string | null;
  details: Record<string, unknown> | null;
}

export interface HostUpSimTicket {
  id: string;
  number?: string;
  subject?: string | null;
  body?: string | null;
  status?: string;
  priority?: string;
  departmentSlug?: string;
  departmentName?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  lastMessageAt?: string | null;
  ccEmails?: string[];
  requesterName?: string | null;
  messageCount?: number;
  linkedServices?: HostUpSimLinkedService[];
  attachments?: HostUpSimAttachment[];
  messages?: HostUpSimMessage[];
}

/** HostUp's RFC 7807 problem document. */
export interface HostUpSimProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  timestamp: string;
  errors?: { pointer: string; detail: string; code: string }[];
}
