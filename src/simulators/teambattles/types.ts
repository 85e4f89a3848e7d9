/**
 * TeamBattles' ticket payload as its docs publish it
 * (https://teambattles.gg/docs/api-reference/support/get-ticket). The simulator's own copy,
 * written from the vendor's page, never from DeskGraph's connector. The answer adds a
 * response-time `timestamp`.
 */
export interface TeamBattlesSimMessage {
  id: string;
  content: string;
  isSystem: boolean;
  isOwnMessage: boolean;
  createdAt: string;
}

export interface TeamBattlesSimTicket {
  id: string;
  ticketNumber: number;
  subject: string;
  description: string;
  category: string;
  status: 'open' | 'in_progress' | 'awaiting_response' | 'resolved' | 'closed';
  priority: 'low' | 'medium' | 'high' | 'urgent';
  createdAt: string | null;
  updatedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  messages: TeamBattlesSimMessage[];
}
