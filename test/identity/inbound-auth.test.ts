/**
 * Inbound authentication over HTTP with MicrosoftAppId set: a local identity provider (OpenID metadata + JWKS)
 * stands in for the Bot Framework through ToBotFromChannelOpenIdMetadataUrl / ToBotFromChannelTokenIssuer.
 * A valid channel token gets a turn; every forged or broken one gets 401 and no turn runs.
 *
 * What botframework-connector checks for a channel token (lib/auth/parameterizedBotFrameworkAuthentication.js,
 * jwtTokenExtractor.js, openIdMetadata.js): scheme "Bearer"; `iss` equals ToBotFromChannelTokenIssuer; the `kid`
 * is in the JWKS and the key is RSA; the signature verifies with RS256/384/512 only; `exp`/`nbf` with 5 minutes'
 * clock tolerance; the key's `endorsements` (when present) include the activity's channelId; `aud` is our app id;
 * the `serviceurl` claim equals activity.serviceUrl.
 */
import { message } from '../helpers/activities.js';
import { textOf, type TestApp } from '../helpers/app.js';
import { hs256WithPublicKey, newKey, signRs256, unsigned, startAuthenticatedApp, type FakeIdp } from './fake-idp.js';

const APP_ID = 'd0000000-0000-4000-8000-0000000000d1';
const OTHER_APP_ID = 'd0000000-0000-4000-8000-0000000000d2';

describe('inbound authentication (MicrosoftAppId set, local identity provider)', () => {
  let idp: FakeIdp;
  let t: TestApp;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ idp, t, stop } = await startAuthenticatedApp(APP_ID));
  });
  afterAll(() => stop());

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => {
    const c: Record<string, unknown> = { iss: idp.issuer, aud: APP_ID, serviceurl: t.connector.url, nbf: now() - 60, iat: now() - 60, exp: now() + 3600, ...over };
    for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
    return c;
  };
  const bearer = (token: string) => `Bearer ${token}`;
  const valid = (over: Record<string, unknown> = {}) => bearer(signRs256(claims(over), idp.key));

  const turnLogged = (activityId: string) =>
    t.logs.some((l) => {
      const line = JSON.parse(l) as { msg?: string; activityId?: string };
      return line.msg === 'turn' && line.activityId === activityId;
    });

  /** Posts a message with `authorization` (or none) in its own conversation; reports the status and whether a turn ran. */
  async function attempt(name: string, authorization: string | undefined, opts: { expectReplies?: boolean } = {}) {
    const a = message('help', { id: `auth-${name}`, conversationId: `a:conv-${name}`, expectReplies: opts.expectReplies });
    const r = await t.post(a, authorization === undefined ? {} : { authorization });
    return { status: r.status, body: r.body, turn: turnLogged(a.id), conversationId: a.conversation.id };
  }

  it('lets a valid channel token through: 200 and a turn ran', async () => {
    const r = await attempt('valid', valid(), { expectReplies: true });
    expect(r.status).toBe(200);
    expect(r.turn).toBe(true);
    expect(textOf(r.body.activities[0])).toContain('Partner Support Assistant');
    expect(idp.fetches.keys).toBeGreaterThanOrEqual(1); // the local identity provider was really used
  });

  it('accepts a token that expired less than the 5-minute clock skew ago', async () => {
    const r = await attempt('skew-ok', valid({ exp: now() - 60, nbf: now() - 3600, iat: now() - 3600 }), { expectReplies: true });
    expect(r.status).toBe(200);
    expect(r.turn).toBe(true);
  });

  const forged: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty bearer', () => 'Bearer '],
    ['another scheme', () => `Basic ${signRs256(claims(), idp.key)}`],
    ['a token that is not a JWT', () => bearer('not.a.jwt')],
    ['an unsigned token (RS256 header, empty signature)', () => bearer(unsigned(claims(), { alg: 'RS256', typ: 'JWT', kid: idp.key.kid }))],
    ['alg=none under the known kid', () => bearer(unsigned(claims(), { alg: 'none', typ: 'JWT', kid: idp.key.kid }))],
    ['HS256 signed with the public key as secret', () => bearer(hs256WithPublicKey(claims(), idp.key))],
    ['a token expired beyond the skew', () => valid({ exp: now() - 600, nbf: now() - 4000, iat: now() - 4000 })],
    ['a token not valid before 10 minutes from now', () => valid({ nbf: now() + 600 })],
    ['another audience', () => valid({ aud: OTHER_APP_ID })],
    ['no audience', () => valid({ aud: undefined })],
    ['another issuer', () => valid({ iss: 'https://evil.example' })],
    ['no issuer', () => valid({ iss: undefined })],
    ['an unknown kid', () => bearer(signRs256(claims(), newKey('unknown-kid')))],
    ['a forgery signed by another key under the known kid', () => bearer(signRs256(claims(), { ...newKey('attacker'), kid: idp.key.kid }))],
    ['a key endorsed only for another channel', () => bearer(signRs256(claims(), idp.otherChannelKey))],
    ['a serviceurl claim for another service', () => valid({ serviceurl: 'https://evil.example/' })],
    ['no serviceurl claim', () => valid({ serviceurl: undefined })],
    [
      'a valid signature over other claims (payload swapped)',
      () => {
        const [h, , s] = signRs256(claims({ aud: OTHER_APP_ID }), idp.key).split('.');
        const p = Buffer.from(JSON.stringify(claims())).toString('base64url');
        return bearer(`${h}.${p}.${s}`);
      },
    ],
  ];

  it.each(forged)('refuses %s with 401 and runs no turn', async (name, auth) => {
    const id = name.replace(/[^a-z0-9]+/gi, '-');
    const r = await attempt(id, auth());
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'Unauthorized' });
    expect(r.turn).toBe(false);
    await new Promise((res) => setTimeout(res, 20));
    expect(t.connector.sent.filter((s) => s.conversationId === r.conversationId)).toHaveLength(0);
    const stored = await t.app.deps.store.collection<{ id: string; version: number }>('conversations').list();
    expect(JSON.stringify(stored)).not.toContain(r.conversationId);
  });

  it('refuses the forged cases with expectReplies too, returning no replies', async () => {
    for (const [name, auth] of forged) {
      const r = await attempt(`er-${name.replace(/[^a-z0-9]+/gi, '-')}`, auth(), { expectReplies: true });
      expect([name, r.status, r.turn]).toEqual([name, 401, false]);
      expect(JSON.stringify(r.body)).not.toContain('activities');
    }
  });

  it('does not answer a replay of an authenticated activity without a valid token from the first answer', async () => {
    const a = message('help', { id: 'replayed-1', conversationId: 'a:conv-replay', expectReplies: true });
    const header = valid();
    const first = await t.post(a, { authorization: header });
    expect(first.status).toBe(200);
    expect(first.body.activities).toHaveLength(1);
    for (const authorization of [undefined, bearer(signRs256(claims(), { ...newKey('attacker'), kid: idp.key.kid })), valid({ aud: OTHER_APP_ID })]) {
      const replay = await t.post(a, authorization ? { authorization } : {});
      expect(replay.status).toBe(401);
      expect(JSON.stringify(replay.body)).not.toContain('Partner Support Assistant');
    }
    // The channel's own retry (same token) is still answered once, from the first turn.
    const turnsBefore = t.logs.filter((l) => l.includes('"activityId":"replayed-1"') && l.includes('"msg":"turn"')).length;
    const retry = await t.post(a, { authorization: header });
    expect(retry.status).toBe(200);
    expect(t.logs.filter((l) => l.includes('"activityId":"replayed-1"') && l.includes('"msg":"turn"')).length).toBe(turnsBefore);
  });

  it('logs every refusal as a warning without the token', () => {
    const refusals = t.logs.filter((l) => l.includes('request refused before the turn'));
    expect(refusals.length).toBeGreaterThanOrEqual(forged.length);
    expect(refusals.join('\n')).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
