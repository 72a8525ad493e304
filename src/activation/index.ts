/** Activation (issue 4): role-aware guidance (R1, A1–A5, E2), admin approval with card buttons, contract updates, housekeeping. */
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import { ActivationFlow, ActivationSchemas } from './handlers.js';
import { startActivationHousekeeping } from './housekeeping.js';
import { ActivationVerb } from './verbs.js';

export { runActivationHousekeeping } from './housekeeping.js';

const BENEFITS = String.raw`(?: (?:our|my|the))?(?: (?:partner|technical|tech|support))*(?: benefits?)?`;

/** "activate", "how do I activate", "activation", "활성화", "활성화 방법", "혜택 활성화" … (normalised text). */
export const ACTIVATE_PATTERNS: RegExp[] = [
  new RegExp(`^(?:please )?(?:activate|activation)${BENEFITS}(?: please)?$`),
  new RegExp(`^(?:how (?:do|can|should) (?:i|we)|how to) activate${BENEFITS}$`),
  /^(?:activation|activate) (?:help|steps|status)$/,
  /^(?:ask|request)(?: an?)? admin to activate$/,
  /^(?:기술 )?(?:지원 )?(?:혜택 ?)?활성화(?: ?방법| 하는 ?방법| 하는 법| 어떻게 해| 어떻게 하나요| 어떻게 해요| ?해줘| ?해 주세요| ?요청| ?상태)?$/,
  /^(?:기술 )?(?:지원 )?(?:혜택을? )?어떻게 활성화(?:하나요|해요|하죠|하지|해|하면 돼)?$/,
];

/** "update contract", "correct the contract", "계약 업데이트", "계약 정보 수정" … (normalised text). */
export const UPDATE_CONTRACT_PATTERNS: RegExp[] = [
  /^(?:update|correct|change|edit|fix|record)(?: the| our)? (?:contract(?: (?:ids?|details|dates))?|activation(?: details)?)$/,
  /^계약(?: 정보| id)? ?(?:업데이트|수정|변경|등록|기록)$/,
  /^활성화 (?:정보 )?(?:업데이트|수정|기록)$/,
];

/** Registers the activation intents, card verbs, help entries and the housekeeping timer; returns a handle to stop the timer. */
export function registerActivation(deps: AppDeps): { flow: ActivationFlow; stop(): void } {
  const flow = new ActivationFlow(deps);
  const { router, help } = deps;
  router.intent({ name: Intent.activate, patterns: ACTIVATE_PATTERNS, handler: (ctx) => flow.activate(ctx) });
  router.intent({ name: Intent.updateContract, patterns: UPDATE_CONTRACT_PATTERNS, handler: (ctx) => flow.updateContract(ctx) });

  router.verb({ verb: ActivationVerb.request, data: ActivationSchemas.request, handler: (ctx) => flow.request(ctx) });
  router.verb({ verb: ActivationVerb.approve, data: ActivationSchemas.decide, handler: (ctx, data) => flow.decide(ctx, data, 'approved') });
  router.verb({ verb: ActivationVerb.reject, data: ActivationSchemas.decide, handler: (ctx, data) => flow.decide(ctx, data, 'rejected') });
  router.verb({ verb: ActivationVerb.refresh, data: ActivationSchemas.refresh, handler: (ctx, data) => flow.refresh(ctx, data) });
  router.verb({ verb: ActivationVerb.openForm, data: ActivationSchemas.openForm, handler: (ctx, data) => flow.openForm(ctx, data) });
  router.verb({ verb: ActivationVerb.save, data: ActivationSchemas.save, handler: (ctx, data) => flow.save(ctx, data) });

  help.add({ intent: Intent.activate, order: 10, titleKey: 'activation.help.activate.title', descriptionKey: 'activation.help.activate.description', buttonKey: 'activation.help.activate.button' });
  help.add({ intent: Intent.updateContract, order: 90, titleKey: 'activation.help.update.title', descriptionKey: 'activation.help.update.description', buttonKey: 'activation.help.update.button' });

  const stop = startActivationHousekeeping(deps);
  deps.onStop(stop);
  return { flow, stop };
}
