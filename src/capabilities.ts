/** Every capability's registration, in one list. */
import type { AppDeps } from './app-deps.js';
import { registerEligibility } from './eligibility/index.js';
import { registerIds } from './ids/index.js';
import { registerActivation } from './activation/index.js';
import { registerDiagnosis } from './diagnosis/index.js';
import { registerRequests } from './requests/index.js';
import { registerGuide } from './guide/index.js';

type Register = (deps: AppDeps) => void;

export const capabilities: Register[] = [registerEligibility, registerActivation, registerDiagnosis, registerIds, registerRequests, registerGuide];
