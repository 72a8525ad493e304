import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../../src/app-deps.js';
import { Intent } from '../../src/bot/intents.js';
import { Router } from '../../src/bot/router.js';
import { HelpCatalog } from '../../src/core/help-catalog.js';
import { registerCore } from '../../src/core/index.js';
import { loadCatalog } from '../../src/domain/catalog.js';
import { loadPolicy } from '../../src/domain/policy.js';
import { registerEligibility } from '../../src/eligibility/index.js';
import { EligibilityVerb } from '../../src/eligibility/verbs.js';

/** A router with core and eligibility registered (routing needs only these parts of AppDeps). */
function build(): Router {
  const router = new Router();
  const help = new HelpCatalog();
  registerCore({ router, help, organisationName: 'Contoso', unrecognised: undefined as never });
  registerEligibility({ router, help, catalog: loadCatalog(), policy: loadPolicy('mpn-2021') } as unknown as AppDeps);
  return router;
}
const router = build();

describe('eligibility intent', () => {
  it.each<[string, string | undefined]>([
    ['is SQL Server 2022 covered', 'sql server 2022'],
    ['Is SQL Server 2019 covered?', 'sql server 2019'],
    ['is sql 2019 still covered', 'sql 2019'],
    ['is azure supported for a customer', 'azure'],
    ['is exchange 2019 covered by our benefits', 'exchange 2019'],
    ['are we covered for sql 2022', 'sql 2022'],
    ['is my customer covered', undefined],
    ['am i eligible', undefined],
    ['eligibility', undefined],
    ['Eligibility for SQL 2019', 'sql 2019'],
    ['check coverage of azure', 'azure'],
    ["what's covered", undefined],
    ['can we get support for azure', 'azure'],
    ['could I open support for windows server 2025?', 'windows server 2025'],
    ['which portal for Dynamics 365', 'dynamics 365'],
    ['what portal should I use for power bi', 'power bi'],
    ['which portal', undefined],
    ['where do I open a request for Exchange 2019', 'exchange 2019'],
    ['where can we create a support ticket', undefined],
    ['SQL Server 2019 지원되나요', 'sql server 2019'],
    ['애저는 지원 대상인가요?', '애저는'],
    ['윈도우 서버 2022 지원돼?', '윈도우 서버 2022'],
    ['sql 2022 고객용으로 지원 가능한가요', 'sql 2022 고객용으로'],
    ['exchange 2019 어디서 요청', 'exchange 2019'],
    ['애저 어디에서 지원 요청하나요', '애저'],
    ['sql 2022 요청은 어디서 하나요', 'sql 2022'],
    ['다이나믹스 어떤 포털에서 요청하나요', '다이나믹스'],
    ['지원 범위', undefined],
    ['지원 대상 확인', undefined],
    ['어느 포털에서 요청하나요', undefined],
  ])('[E1] routes "%s" to eligibility (product: %s)', (text, product) => {
    const route = router.route(text, 'personal');
    expect(route.kind).toBe('intent');
    if (route.kind !== 'intent') return;
    expect(route.intent.name).toBe(Intent.eligibility);
    expect(route.match.groups?.product).toBe(product);
  });

  it.each(['help', '도움말', 'hello', 'access id is already associated', 'You are not authorized for this action', 'how many incidents are left', 'new request'])(
    'leaves "%s" to others',
    (text) => {
      const route = router.route(text, 'personal');
      expect(route.kind === 'intent' && route.intent.name === Intent.eligibility).toBe(false);
      expect(route.kind === 'recognizer' && route.recognizer.name === 'eligibility.product').toBe(false);
    },
  );

  it('works in channels and group chats too (the bot requires the mention there)', () => {
    for (const kind of ['channel', 'groupChat'] as const) expect(router.route('is azure covered', kind).kind).toBe('intent');
  });
});

describe('eligibility free-text recognizer', () => {
  it.each(['sql 2019', 'WS2022', 'Windows Server 2022', '애저', 'sql server', 'azure for my customer'])('takes the bare product "%s"', (text) => {
    const route = router.route(text, 'personal');
    expect(route.kind === 'recognizer' && route.recognizer.name).toBe('eligibility.product');
  });

  it.each(['access id is already associated', 'sql server 2019 setup fails with error 0x84b40000', '애저에서 오류가 발생합니다'])(
    'does not take the error report "%s"',
    (text) => {
      expect(router.route(text, 'personal').kind).toBe('unknown');
    },
  );
});

/** Every action of cards/eligibility.*.json with its verb (Action.Execute) or data.verb (Action.Submit). */
function cardActions(): { file: string; verb: string; command?: string }[] {
  const out: { file: string; verb: string; command?: string }[] = [];
  for (const file of fs.readdirSync('cards').filter((f) => f.startsWith('eligibility.') && f.endsWith('.json'))) {
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const o = n as { type?: string; verb?: string; data?: { verb?: string; command?: string } };
      if (o.type === 'Action.Execute' && o.verb) out.push({ file, verb: o.verb });
      if (o.type === 'Action.Submit' && o.data?.verb) out.push({ file, verb: o.data.verb, command: o.data.command });
      Object.values(o).forEach(walk);
    };
    walk(JSON.parse(fs.readFileSync(path.join('cards', file), 'utf8')));
  }
  return out;
}

describe('eligibility registration', () => {
  it('serves every verb its cards use, and its cards use every verb it declares', () => {
    const used = cardActions();
    expect(used.filter((a) => !router.verbNames().includes(a.verb))).toEqual([]);
    expect(Object.values(EligibilityVerb).filter((v) => !used.some((a) => a.verb === v))).toEqual([]);
  });

  it('hands over only to intents that exist by name (command.run)', () => {
    const commands = cardActions().flatMap((a) => (a.command ? [a.command] : []));
    expect(commands.sort()).toEqual([Intent.ids, Intent.newRequest].sort());
  });

  it('adds a help entry for its intent', () => {
    const help = new HelpCatalog();
    registerEligibility({ router: new Router(), help, catalog: loadCatalog(), policy: loadPolicy('mpn-2021') } as unknown as AppDeps);
    expect(help.all().map((e) => e.intent)).toEqual([Intent.eligibility]);
  });
});
