/** Intent names: the router, the help card and the app manifest's command lists all use these. */
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
} as const;
export type IntentName = (typeof Intent)[keyof typeof Intent];
