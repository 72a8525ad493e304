/** Every capability's registration, in one list. */
import type { AppDeps } from './app-deps.js';

type Register = (deps: AppDeps) => void;

export const capabilities: Register[] = [];
