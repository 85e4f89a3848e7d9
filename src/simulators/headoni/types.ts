/**
 * Headoni's ticket payload as its docs publish it (https://docs.headoni.com/llms/api/get-ticket,
 * value types from https://docs.headoni.com/docs/api/overview). The simulator's own copy: it is
 * written from the vendor's page, never from DeskGraph's connector, so a misreading in one does
 * not hide in the other.
 */
export interface HeadoniSimMessage {
  id: string;
  authorKind: 'agent' | 'end_user' | 'system' | 'automation';
  bodyMd: string;
  createdAt: string;
}

export interface HeadoniSimTicket {
  /** A 64-bit snowflake, always sent as a string. */
  id: string;
  /** The per-desk integer shown to customers as `[#1247]`. */
  number: number;
  subject: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: { id: string; label: string; internalType: 'open' | 'awaiting_reply' | 'resolved' | 'closed' };
  /** "requester.email and requester.name may be null if the user record lacks them." */
  requester: { email: string | null; name: string | null };
  department?: { id: string; name: string } | null;
  ticketType?: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
  messages: HeadoniSimMessage[];
}
