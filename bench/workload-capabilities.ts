/** Turns of the capabilities that need set-up: request form submits and triage actions in the help desk channel. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { helpDesk, invoke, message, staff, type Turn } from './workload.js';

let triageRequest: { requestId: string; version: number } | undefined;
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];

export const extraTurns: Turn[] = [
  {
    name: 'newRequest',
    weight: 1,
    body: () =>
      invoke(
        'requests.create',
        { formId: randomUUID(), product: 'SQL Server 2022', for: 'organisation', customerName: '', customerTenantId: '', severity: 'B', title: 'Failover fails after the update', description: 'Cluster failover fails with error 0x80071736.' },
        pick(staff),
      ),
  },
  {
    name: 'triage',
    weight: 1,
    body: () => invoke('requests.refresh', { requestId: triageRequest?.requestId ?? 'none', view: 'triage' }, pick(helpDesk), 'channel'),
  },
];

/** A connector stand-in for the proactive posts (triage cards to the channel): accepts everything. */
export async function startConnectorSink(): Promise<{ url: string; close(): void }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `sink-${++n}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function post(port: number, body: object): Promise<any> {
  const r = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return r.json();
}

/** Everyone says hello (conversation references), an admin sets the help desk channel, one request is opened for triage turns. */
export async function prepare(port: number): Promise<void> {
  for (const who of [...staff, ...helpDesk]) await post(port, message('help', who));
  const admin = staff[1]; // Alex Wilber, Global Admin
  await post(port, { ...message('<at>Partner Support</at> set help desk channel', admin), conversation: { id: '19:bench-helpdesk@thread.tacv2', conversationType: 'channel', tenantId: admin ? '7a1c2f10-0000-4000-8000-000000000001' : '' }, entities: [{ type: 'mention', text: '<at>Partner Support</at>', mentioned: { id: '28:bench-bot' } }] });
  const created = await post(port, extraTurns[0].body());
  const card = created?.activities?.find((a: any) => a.type === "invokeResponse")?.value?.body?.value ?? created?.value;
  const requestId = card?.refresh?.action?.data?.requestId as string | undefined;
  if (!requestId) throw new Error(`bench set-up: no request created (${JSON.stringify(created).slice(0, 300)})`);
  triageRequest = { requestId, version: 1 };
}
