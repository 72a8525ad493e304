/** Card action verbs of the activation capability: written once here and, literally, in cards/activation.*.json. */
export const ActivationVerb = {
  /** "Ask an admin to activate" (staff member). */
  request: 'activation.request',
  /** Approve a pending request (admin; role checked on the server). */
  approve: 'activation.approve',
  /** Reject a pending request, with an optional comment (admin). */
  reject: 'activation.reject',
  /** Teams' refresh of the approval card: admin view for admins, read-only status for everyone else. */
  refresh: 'activation.refresh',
  /** "I have activated" / "Update contract": opens the Access ID and Contract ID form (admin). */
  openForm: 'activation.form',
  /** Saves the form (admin): validates, seals the IDs, completes open requests. */
  save: 'activation.save',
} as const;
export type ActivationVerbName = (typeof ActivationVerb)[keyof typeof ActivationVerb];

