/**
 * A local stand-in for the Bot Framework's token issuer: an OpenID configuration and a JWKS on an ephemeral
 * loopback port, and RS256 JWTs signed with node:crypto (no JWT library), plus helpers to forge bad ones.
 */
import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app.js';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface FakeIdp {
  url: string;
  /** ToBotFromChannelOpenIdMetadataUrl */
  metadataUrl: string;
  /** ToBotFromChannelTokenIssuer */
  issuer: string;
  /** The key published in the JWKS, endorsed for msteams. */
  key: SigningKey;
  /** A second published key, endorsed only for another channel. */
  otherChannelKey: SigningKey;
  /** How many times the bot fetched the metadata and the keys. */
  fetches: { metadata: number; keys: number };
  close(): Promise<void>;
}

const b64url = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

/** A new RSA key pair with a key id. */
export function newKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** A compact JWS signed RS256 with `key` (the header's kid defaults to the key's). */
export function signRs256(claims: object, key: SigningKey, header: Record<string, unknown> = {}): string {
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${b64url(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.privateKey);
  return `${input}.${b64url(signature)}`;
}

/** A JWT with the given header and no signature at all ("header.payload."). */
export function unsigned(claims: object, header: Record<string, unknown>): string {
  return `${b64url(header)}.${b64url(claims)}.`;
}

/** The key-confusion forgery: HS256 with the RSA public key (PEM) used as the HMAC secret. */
export function hs256WithPublicKey(claims: object, key: SigningKey): string {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64url(claims)}`;
  const secret = key.publicKey.export({ type: 'spki', format: 'pem' });
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
}

/** Starts the identity provider on 127.0.0.1. */
export async function startFakeIdp(): Promise<FakeIdp> {
  const key = newKey('test-key-teams');
  const otherChannelKey = newKey('test-key-webchat');
  const fetches = { metadata: 0, keys: 0 };
  const jwk = (k: SigningKey, endorsements: string[]) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, use: 'sig', alg: 'RS256', endorsements });
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      fetches.metadata++;
      res.end(JSON.stringify({ issuer: idp.issuer, jwks_uri: `${idp.url}/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] }));
      return;
    }
    if (req.url === '/keys') {
      fetches.keys++;
      res.end(JSON.stringify({ keys: [jwk(key, ['msteams']), jwk(otherChannelKey, ['webchat'])] }));
      return;
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp: FakeIdp = {
    url,
    metadataUrl: `${url}/.well-known/openid-configuration`,
    issuer: 'https://api.botframework.test',
    key,
    otherChannelKey,
    fetches,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return idp;
}

/** The app with inbound authentication on (MicrosoftAppId set) against a fresh local identity provider. */
export async function startAuthenticatedApp(appId: string): Promise<{ idp: FakeIdp; t: TestApp; stop(): Promise<void> }> {
  // botframework-connector prints rejected tokens with console.error; keep the test output readable.
  const quietConsole = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const idp = await startFakeIdp();
  const t = await startTestApp({
    env: { MicrosoftAppId: appId, MicrosoftAppPassword: 'x', ToBotFromChannelOpenIdMetadataUrl: idp.metadataUrl, ToBotFromChannelTokenIssuer: idp.issuer },
  });
  return {
    idp,
    t,
    async stop() {
      await t.stop();
      await idp.close();
      quietConsole.mockRestore();
    },
  };
}
