/** Intent names: the router, the classifier's corpus files, the help card and the app manifest's command lists all use these. */
export const Intent = {
  help: 'help',
  activate: 'activate',
  ids: 'ids',
  eligibility: 'eligibility',
  diagnose: 'diagnose',
  newRequest: 'newRequest',
  queue: 'queue',
  setHelpDeskChannel: 'setHelpDeskChannel',
  incidents: 'incidents',
  updateContract: 'updateContract',
  myRequests: 'myRequests',
  requestStatus: 'requestStatus',
  paidSupport: 'paidSupport',
  tpd: 'tpd',
  admins: 'admins',
  report: 'report',
  settings: 'settings',
  greeting: 'smalltalk.greeting',
  thanks: 'smalltalk.thanks',
  ack: 'smalltalk.ack',
  bye: 'smalltalk.bye',
} as const;
export type IntentName = (typeof Intent)[keyof typeof Intent];

export const INTENT_NAMES: readonly IntentName[] = Object.values(Intent);

/** Narrows a string (a corpus file name, a card's data) to an intent name. */
export function isIntentName(name: string): name is IntentName {
  return (INTENT_NAMES as readonly string[]).includes(name);
}
