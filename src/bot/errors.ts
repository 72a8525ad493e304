/** Errors that carry a message meant for the user (an i18n key), mapped to a reply in one place. */
export class UserFacingError extends Error {
  constructor(readonly key: string, readonly vars?: Record<string, string | number>, readonly status = 400) {
    super(key);
    this.name = 'UserFacingError';
  }
}
