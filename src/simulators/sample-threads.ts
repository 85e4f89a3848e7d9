/**
 * The demo's support conversations, shared by every simulator so the five desks look alike in
 * content and differ only in vendor shape. Each vendor's `data.ts` turns these into its own
 * payloads, cycling statuses and priorities so every value of the vendor's enums appears.
 *
 * Bodies are Markdown-ish text as a person writes it; `emailHtml` is the raw HTML an email
 * client produced (Outlook markup included), for vendors that store HTML. A few threads carry
 * hostile bodies on purpose: the demo shows them neutralised.
 */

export type SampleRole = 'customer' | 'agent' | 'system' | 'automation' | 'note';

export interface SampleMessage {
  role: SampleRole;
  /** Minutes after the ticket was opened. */
  at: number;
  text: string;
  /** The same message as stored by an email-sourced HTML desk, when it came by email. */
  emailHtml?: string;
  attachment?: { name: string; contentType: string; size: number };
}

export interface SampleThread {
  subject: string;
  customer: { name: string; email: string };
  agent: { name: string; email: string };
  team: { slug: string; name: string };
  category: string;
  messages: SampleMessage[];
}

const T = (subject: string, customer: [string, string], agent: [string, string], team: [string, string], category: string, messages: SampleMessage[]): SampleThread => ({
  subject,
  customer: { name: customer[0], email: customer[1] },
  agent: { name: agent[0], email: agent[1] },
  team: { slug: team[0], name: team[1] },
  category,
  messages,
});

const PRIYA: [string, string] = ['Priya Sharma', 'priya.sharma@acme-support.example'];
const TOMAS: [string, string] = ['Tomás Ortega', 'tomas.ortega@acme-support.example'];
const MEI: [string, string] = ['Mei Lin', 'mei.lin@acme-support.example'];
const BILLING: [string, string] = ['billing', 'Billing'];
const TECH: [string, string] = ['technical', 'Technical support'];
const ACCOUNTS: [string, string] = ['accounts', 'Accounts'];

const outlook = (paragraphs: string[]): string =>
  `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0cm;font-family:Calibri}</style></head><body lang="EN-US"><div class="WordSection1">${paragraphs
    .map((p) => `<p class="MsoNormal">${p}<o:p></o:p></p>`)
    .join('')}<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]--></div></body></html>`;

const LONG_THREAD_SUBJECT = 'Checkout times out for EU customers during peak hours';

export const SAMPLE_THREADS: SampleThread[] = [
  T('Login broken on staging', ['Alice Martin', 'alice@example.com'], PRIYA, TECH, 'Question', [
    { role: 'customer', at: 0, text: 'I loop back to `/sign-in` after typing my email.\n\nSteps:\n1. Open staging\n2. Enter **alice@example.com**\n3. Back to the sign-in page' },
    { role: 'automation', at: 1, text: 'Thanks for reaching out! A teammate will reply within 4 hours.' },
    { role: 'agent', at: 42, text: 'Thanks Alice. Could you try clearing cookies for *staging.example.com* and tell me if it persists?' },
    { role: 'note', at: 44, text: 'Looks like the SSO callback URL changed in last deploy — checking with infra.' },
    { role: 'customer', at: 90, text: 'Cleared cookies, same loop. Screenshot attached.', attachment: { name: 'loop.png', contentType: 'image/png', size: 48213 } },
  ]),
  T('Invoice #2026-0419 charged twice', ['Bruno Keller', 'bruno.keller@keller-bau.example'], TOMAS, BILLING, 'Billing', [
    { role: 'customer', at: 0, text: 'Hello,\nour card was charged twice for invoice 2026-0419 (EUR 249.00 each).\nPlease refund one.\n\nBruno', emailHtml: outlook(['Hello,', 'our card was charged twice for invoice 2026-0419 (EUR&nbsp;249.00 each).', 'Please refund one.', '<b>Bruno Keller</b><br>Keller Bau GmbH']) },
    { role: 'agent', at: 35, text: 'Hi Bruno, I can see both charges. I have refunded the duplicate; it will show in 3–5 business days.' },
    { role: 'customer', at: 2900, text: 'Refund arrived, thank you!' },
  ]),
  T('VPS not reachable after reboot', ['Jane Example', 'jane@example.net'], MEI, TECH, 'Incident', [
    { role: 'customer', at: 0, text: 'My VPS app-01 is not reachable from the internet since the reboot at 09:00.' },
    { role: 'system', at: 2, text: 'Ticket linked to service app-01 (VPS XS, 192.0.2.10).' },
    { role: 'agent', at: 18, text: 'The firewall profile was reset during maintenance. I re-applied yours; can you check now?' },
    { role: 'customer', at: 25, text: 'Works again. What happened exactly?' },
    { role: 'agent', at: 31, text: 'A maintenance script restored defaults on 14 hosts. Post-mortem follows by email.' },
  ]),
  T('Export to CSV drops accented names', ['Zoë Dubois', 'zoe.dubois@example.fr'], PRIYA, TECH, 'Bug', [
    { role: 'customer', at: 0, text: 'Exported contacts show "ZoÃ«" instead of "Zoë". File attached.', attachment: { name: 'contacts.csv', contentType: 'text/csv', size: 10422 } },
    { role: 'agent', at: 60, text: 'Reproduced. The export is UTF-8 without BOM; Excel guesses Windows-1252. Use **Data → From Text** and pick UTF-8 while we add a BOM option.' },
    { role: 'note', at: 61, text: 'Filed ENG-4821 for BOM option. Customer is on Enterprise plan — priority bump.' },
  ]),
  T('Cannot add team member — seat limit?', ['Omar Haddad', 'omar@haddad-labs.example'], TOMAS, ACCOUNTS, 'Question', [
    { role: 'customer', at: 0, text: 'Adding a 6th member says "seat limit reached" but we pay for 10 seats.' },
    { role: 'agent', at: 20, text: 'Your plan shows 10 seats but 5 pending invitations count as seats. Revoke unused invites under *Settings → Team*.' },
  ]),
  T('Request: dark mode for the agent inbox', ['Lena Fischer', 'lena.fischer@example.de'], MEI, TECH, 'Feature request', [
    { role: 'customer', at: 0, text: 'Our night shift would love a dark mode in the inbox. Any plans?' },
    { role: 'agent', at: 240, text: 'It is on the roadmap for Q3. I added your vote.' },
    { role: 'automation', at: 241, text: 'This ticket was tagged `feature-request` and `inbox`.' },
  ]),
  T('SSL certificate renewal failed', ['Kwame Mensah', 'kwame@mensah.example'], PRIYA, TECH, 'Incident', [
    { role: 'customer', at: 0, text: 'Renewal for shop.mensah.example failed: "DNS challenge timed out".' },
    { role: 'note', at: 5, text: 'DNS is hosted elsewhere (Cloudflare). Needs CNAME for _acme-challenge.' },
    { role: 'agent', at: 12, text: 'Please add this record at your DNS host:\n\n```\n_acme-challenge.shop  CNAME  shop.acme-validations.example.\n```\nThen reply and I will retry.' },
    { role: 'customer', at: 130, text: 'Added. Please retry.' },
    { role: 'system', at: 150, text: 'Certificate issued, valid until 2027-02-21.' },
  ]),
  T('Password reset email never arrives', ['Sofia Rossi', 'sofia.rossi@example.it'], TOMAS, ACCOUNTS, 'Question', [
    { role: 'customer', at: 0, text: 'I asked for a password reset three times, nothing arrives (checked spam).', emailHtml: outlook(['I asked for a password reset three times, nothing arrives (checked spam).', 'Sent from my iPhone']) },
    { role: 'agent', at: 15, text: 'Your address bounced in March, so we stopped sending. I cleared the suppression; please try again.' },
    { role: 'customer', at: 22, text: 'Got it now, thanks.' },
  ]),
  T('<img src=x onerror=alert(1)> in subject line', ['Mallory Test', 'mallory@evil.example'], MEI, TECH, 'Security', [
    { role: 'customer', at: 0, text: 'Hello <script>alert("xss")</script> [click me](javascript:alert(1)) <img src=x onerror="alert(2)">', emailHtml: '<p>Hello <script>alert("xss")</script><a href="javascript:alert(1)">click me</a><img src="x" onerror="alert(2)"><iframe src="https://evil.example"></iframe><div style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</div></p>' },
    { role: 'agent', at: 10, text: 'This looks like a security test. Closing.' },
  ]),
  T('API returns 500 on /v2/orders', ['Dev Patel', 'dev.patel@shopfast.example'], PRIYA, TECH, 'Bug', [
    { role: 'customer', at: 0, text: 'Since 14:02 UTC `GET /v2/orders?page=3` returns 500. Request id `req_8842`.' },
    { role: 'automation', at: 1, text: 'Status page: partial outage of Orders API (investigating).' },
    { role: 'agent', at: 28, text: 'Confirmed: a bad index migration. Rolled back at 14:31; errors stopped.' },
    { role: 'note', at: 29, text: 'Incident INC-311. Offer SLA credit if they ask.' },
  ]),
  T('Change billing address', ['Hannah Berg', 'hannah@berg-design.example'], TOMAS, BILLING, 'Billing', [
    { role: 'customer', at: 0, text: 'Please change our billing address to Storgatan 12, 111 51 Stockholm.' },
    { role: 'agent', at: 9, text: 'Done — future invoices use the new address.' },
  ]),
  T('Webhook signatures do not validate', ['Lucas Silva', 'lucas@silva.example'], MEI, TECH, 'Question', [
    { role: 'customer', at: 0, text: 'HMAC check fails for every webhook. We use the raw body and the secret from the dashboard.' },
    { role: 'agent', at: 50, text: 'Make sure the body is not re-serialised by your framework. In Express use `express.raw({ type: "application/json" })` for that route.' },
    { role: 'customer', at: 70, text: 'That was it. Thanks!' },
  ]),
  T('Shipment arrived damaged', ['Marcus Lee', 'marcus@trailblazers-club.example'], PRIYA, ACCOUNTS, 'Returns', [
    { role: 'customer', at: 0, text: 'Carbon plate cracked on first marathon. Photos attached.', attachment: { name: 'IMG_2041.jpg', contentType: 'image/jpeg', size: 1196962 } },
    { role: 'agent', at: 80, text: 'So sorry, Marcus. A replacement pair has shipped; tracking follows by email.' },
    { role: 'note', at: 81, text: 'Batch 22-B has had 4 plate cracks this month — flagged to QA.' },
  ]),
  T('GDPR data export request', ['Eva Novak', 'eva.novak@example.cz'], TOMAS, ACCOUNTS, 'Privacy', [
    { role: 'customer', at: 0, text: 'Under GDPR art. 15 I request a copy of all my personal data.' },
    { role: 'system', at: 1, text: 'Privacy request logged; statutory deadline 30 days.' },
    { role: 'agent', at: 600, text: 'Your export is ready; the download link was sent to your verified address and expires in 7 days.' },
  ]),
  T('Mobile app crashes on Android 15', ['Ravi Kumar', 'ravi.k@example.in'], MEI, TECH, 'Bug', [
    { role: 'customer', at: 0, text: 'App closes right after the splash screen on a Pixel 9, Android 15.' },
    { role: 'agent', at: 45, text: 'Thanks — version 4.12.1 fixes a crash on Android 15. Could you update and confirm?' },
    { role: 'customer', at: 300, text: 'Still crashing on 4.12.1. Log attached.', attachment: { name: 'logcat.txt', contentType: 'text/plain', size: 88120 } },
    { role: 'note', at: 310, text: 'Stack trace points to the new biometric prompt. Escalated to mobile team.' },
  ]),
  T('Upgrade to annual plan', ['Grace Okafor', 'grace@okafor.example'], TOMAS, BILLING, 'Sales', [
    { role: 'customer', at: 0, text: 'We would like to switch to annual billing — is the 15% discount still on?' },
    { role: 'agent', at: 25, text: 'Yes! I have applied it; the switch happens at your next renewal on 1 December.' },
  ]),
  T('Domain transfer stuck in pending', ['Nils Andersson', 'nils@andersson.example'], PRIYA, TECH, 'Domains', [
    { role: 'customer', at: 0, text: 'Transfer of andersson.example has been pending for 6 days.' },
    { role: 'agent', at: 30, text: 'The losing registrar has not released it yet. Please ask them to approve, or wait — it auto-completes after 5 days… which should have happened. Checking.' },
    { role: 'note', at: 31, text: 'Registry shows clientTransferProhibited. Customer must unlock at old registrar.' },
    { role: 'agent', at: 60, text: 'The domain is still locked at your old registrar. Please remove the transfer lock there.' },
  ]),
  T('Feature flag not applied for EU workspace', ['Chloé Martin', 'chloe@example.be'], MEI, TECH, 'Bug', [
    { role: 'customer', at: 0, text: 'The new reports beta is on for our US workspace but not the EU one.' },
    { role: 'agent', at: 14, text: 'EU workspaces get betas one week later for data-residency review. It will be on by Monday.' },
  ]),
  T('Refund for unused seats', ['Daniel Cohen', 'daniel@cohen-partners.example'], TOMAS, BILLING, 'Billing', [
    { role: 'customer', at: 0, text: 'We removed 3 seats mid-cycle. Can we get a prorated refund?', emailHtml: outlook(['We removed 3 seats mid-cycle.', 'Can we get a <i>prorated</i> refund?', 'Best,<br>Daniel']) },
    { role: 'agent', at: 120, text: 'Seats are credited, not refunded: a credit of USD 42.50 is on your account for the next invoice.' },
    { role: 'customer', at: 180, text: 'Fair enough.' },
  ]),
  T('Slow dashboard since last update', ['Yuki Tanaka', 'yuki.tanaka@example.jp'], PRIYA, TECH, 'Performance', [
    { role: 'customer', at: 0, text: 'Dashboard takes ~12 s to load since yesterday. HAR file attached.', attachment: { name: 'dashboard.har', contentType: 'application/json', size: 2349120 } },
    { role: 'automation', at: 1, text: 'We received your HAR file. It may contain session cookies — we will delete it after 30 days.' },
    { role: 'agent', at: 95, text: 'A widget queried 13 months of data on every load; fixed in today\'s release. Please check again.' },
  ]),
  T('How do I rotate my API key?', ['Fatima Zahra', 'fatima@example.ma'], MEI, ACCOUNTS, 'Question', [
    { role: 'customer', at: 0, text: 'How do I rotate my API key without downtime?' },
    { role: 'agent', at: 11, text: 'Create a second key, deploy it, then revoke the old one. Both work in parallel until you revoke.' },
  ]),
  T('Account locked after too many attempts', ['Peter Novak', 'peter.novak@example.sk'], TOMAS, ACCOUNTS, 'Security', [
    { role: 'customer', at: 0, text: 'Locked out after entering the wrong password 5 times.' },
    { role: 'system', at: 1, text: 'Identity verification requested.' },
    { role: 'agent', at: 16, text: 'Verified and unlocked. Consider enabling 2FA under *Security*.' },
  ]),
  T('Outlook add-in missing from ribbon', ['Isabel García', 'isabel.garcia@example.es'], PRIYA, TECH, 'Integrations', [
    { role: 'customer', at: 0, text: 'The add-in disappeared from the Outlook ribbon after the Office update.', emailHtml: outlook(['The add-in disappeared from the Outlook ribbon after the Office update.', '<span style="color:#1F497D">Isabel García | IT</span>']) },
    { role: 'agent', at: 40, text: 'Office 2411 disables add-ins signed with the old certificate. Reinstall from the admin center (version 3.2).' },
  ]),
  T('Empty message test and redacted body', ['Quinn Harper', 'quinn@example.org'], MEI, TECH, 'Question', [
    { role: 'customer', at: 0, text: 'My card number was in my previous message, please remove it.' },
    { role: 'customer', at: 3, text: '' },
    { role: 'agent', at: 20, text: 'Removed. Never send card numbers by message — we will never ask for them.' },
  ]),
  // The long conversation: ten public messages and a note, for the benchmarks' "full ticket".
  T(LONG_THREAD_SUBJECT, ['Oskar Lindqvist', 'oskar@nordic-outdoor.example'], MEI, TECH, 'Incident', [
    { role: 'customer', at: 0, text: 'Since Monday our EU customers get a **504 Gateway Timeout** at checkout between 18:00 and 21:00 CET. US traffic is fine.\n\nRoughly 1 in 20 orders fails; we lose about 40 orders an evening. Shop: `shop.nordic-outdoor.example`.' },
    { role: 'automation', at: 1, text: 'Thanks, Oskar! Incidents on paid plans are answered within 1 hour. Your reference is INC-2291.' },
    { role: 'agent', at: 24, text: 'Hi Oskar, thanks for the detail. Could you send:\n\n1. two or three failing order ids\n2. the exact time of each failure\n3. whether the payment was captured\n\nThat lets me find the requests in our edge logs.' },
    { role: 'customer', at: 51, text: 'Failed orders: NO-88123 (18:42), NO-88140 (19:05), NO-88177 (20:31). None were captured, the card was only authorised. HAR from my own test attached.', emailHtml: outlook(['Failed orders: NO-88123 (18:42), NO-88140 (19:05), NO-88177 (20:31).', 'None were captured, the card was only <b>authorised</b>.', 'HAR from my own test attached.', 'Oskar Lindqvist<br>Nordic Outdoor AB']), attachment: { name: 'checkout-timeout.har', contentType: 'application/json', size: 1843200 } },
    { role: 'note', at: 58, text: 'All three hit fra-edge-2 and waited 30 s on the payment callback. Same pattern as INC-2210 (connection pool exhaustion after the pool size change).' },
    { role: 'agent', at: 63, text: 'Thank you, that helped. All three requests went through our Frankfurt edge and waited 30 seconds for the payment provider\'s callback before timing out. I have escalated to the platform team and will update you within two hours.' },
    { role: 'system', at: 64, text: 'Priority raised to urgent. Linked to platform incident PLAT-771.' },
    { role: 'agent', at: 142, text: 'Update: a configuration change last Monday lowered the connection pool to the payment provider from 200 to 20 per edge node. At peak, requests queue behind it. The pool is restored on fra-edge-1 and fra-edge-2 as of 20:10 CET.' },
    { role: 'customer', at: 1455, text: 'Last evening went through without a single timeout, 312 EU orders. Thank you! Is there anything we should change on our side?' },
    { role: 'agent', at: 1490, text: 'Nothing on your side. We added an alert on pool saturation so this is caught before customers notice, and a [post-mortem](https://status.example.com/incidents/plat-771) is published. A credit for the affected evenings is on your next invoice.' },
    { role: 'customer', at: 1522, text: 'Much appreciated. You can close this one.' },
  ]),
];

/** Index in SAMPLE_THREADS of the long conversation (ten public messages), for benchmarks. */
export const LONG_THREAD_INDEX = SAMPLE_THREADS.findIndex((thread) => thread.subject === LONG_THREAD_SUBJECT);

/** The opening time of the i-th sample ticket: deterministic, spread over 2026. */
export function sampleOpenedAt(index: number): Date {
  return new Date(Date.UTC(2026, 0, 5 + index * 11, 8 + (index % 9), (index * 17) % 60, (index * 7) % 60));
}

export function minutesAfter(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * 60_000);
}
