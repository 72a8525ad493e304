/** Turns of the capabilities that need set-up (request forms, triage actions). */
import type { Turn } from './workload.js';

export const extraTurns: Turn[] = [];

/** Prepares state the extra turns need (e.g. a help desk channel), against the bot on `port`. */
export async function prepare(port: number): Promise<void> {
  void port;
}
