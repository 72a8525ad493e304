/** CloudAdapter with the activity-processing entry point public, so the HTTP layer can answer auth failures with 401. */
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';

export class AppAdapter extends CloudAdapter {
  /** Authenticates the request and runs `logic` for the activity. */
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
