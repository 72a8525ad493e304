/** Card action verbs of the requests capability; cards/requests.*.json use the same strings. */
export const RequestsVerb = {
  /** The request form's submit (product, for, customer, severity, title, description). */
  create: 'requests.create',
  /** Help desk: take the request. */
  claim: 'requests.claim',
  /** Help desk: give it to a help desk member. */
  assign: 'requests.assign',
  /** Help desk: change the status (Microsoft case number for "Submitted to Microsoft"). */
  setStatus: 'requests.setStatus',
  /** Help desk: add a note, optionally visible to the requester. */
  addNote: 'requests.addNote',
  /** Requester: withdraw their own open request. */
  withdraw: 'requests.withdraw',
  /** The queue card's filters and paging. */
  queue: 'requests.queue',
  /** Help desk: one page of a request's full description and every note (data: requestId, page). */
  history: 'requests.history',
  /** Card refresh (triage card for the help desk, status card for the requester). */
  refresh: 'requests.refresh',
} as const;
export type RequestsVerbName = (typeof RequestsVerb)[keyof typeof RequestsVerb];
