/** The organisation's technical benefits record: IDs sealed at rest, counters, associations; seeded once from the org file. */
import type { BenefitsState } from '../domain/org.js';
import type { SecretRegistry } from '../logging/logger.js';
import type { Repository, Versioned } from '../storage/collection.js';
import type { SecretBox } from '../storage/secret-box.js';

export interface PortalAssociation {
  aadObjectId: string;
  portal: string;
  at: string;
}

export interface BenefitsRecord extends Versioned {
  /** = tenantId */
  activated: boolean;
  accessIdSealed?: string;
  contractIdSealed?: string;
  startDate?: string;
  endDate?: string;
  onPremisesIncidentsRemaining?: number;
  cloudIncidentsRemaining?: number;
  associatedAccounts: string[];
  associations: PortalAssociation[];
  activatedAt?: string;
  activatedBy?: string;
  updatedAt: string;
  updatedBy?: string;
  /** Incidents decremented per support request id (a request counts once). */
  countedRequests?: string[];
  /** Warnings already sent to admins, e.g. "lowIncidents:2027-02-14". */
  warningsSent?: string[];
}

export class BenefitsStore {
  constructor(
    private readonly repo: Repository<BenefitsRecord>,
    private readonly box: SecretBox,
    private readonly secrets: SecretRegistry,
  ) {}

  /** Seeds the record from the org file while the store has none for the tenant (org-file.md rule). */
  async seed(tenantId: string, state: BenefitsState | undefined, now: Date): Promise<void> {
    if (!state) return;
    await this.repo.upsert(tenantId, (cur) => {
      if (cur) return undefined;
      return {
        id: tenantId,
        activated: state.activated,
        accessIdSealed: state.accessId ? this.box.seal(state.accessId) : undefined,
        contractIdSealed: state.contractId ? this.box.seal(state.contractId) : undefined,
        startDate: state.startDate,
        endDate: state.endDate,
        onPremisesIncidentsRemaining: state.onPremisesIncidentsRemaining,
        cloudIncidentsRemaining: state.cloudIncidentsRemaining,
        associatedAccounts: state.associatedAccounts ?? [],
        associations: [],
        activatedAt: state.activated ? now.toISOString() : undefined,
        updatedAt: now.toISOString(),
      };
    });
    await this.registerSecrets(tenantId);
  }

  /** Makes sure the plain IDs are scrubbed from every log line. */
  async registerSecrets(tenantId: string): Promise<void> {
    const s = await this.state(tenantId);
    this.secrets.add(s?.accessId);
    this.secrets.add(s?.contractId);
  }

  /** The raw record (sealed IDs). */
  record(tenantId: string): Promise<BenefitsRecord | undefined> {
    return this.repo.get(tenantId);
  }

  /** The state with IDs opened (only for people allowed to see them — callers check R2). */
  async state(tenantId: string): Promise<BenefitsState | undefined> {
    const r = await this.repo.get(tenantId);
    return r ? this.toState(r) : undefined;
  }

  /** The state without the IDs (for eligibility, diagnosis and anyone who must not see them). */
  async publicState(tenantId: string): Promise<BenefitsState | undefined> {
    const r = await this.repo.get(tenantId);
    if (!r) return undefined;
    const { accessId: _a, contractId: _c, ...rest } = this.toState(r, false);
    return rest;
  }

  /** Re-reads and changes the record with compare-and-set (creates it when absent). */
  async mutate(tenantId: string, now: Date, fn: (cur: BenefitsRecord) => BenefitsRecord | undefined): Promise<BenefitsRecord> {
    const blank: BenefitsRecord = { id: tenantId, version: 0, activated: false, associatedAccounts: [], associations: [], updatedAt: now.toISOString() };
    const r = await this.repo.upsert(tenantId, (cur) => fn(cur ?? blank));
    return r ?? blank;
  }

  /** Seals a plain ID for storage (and registers it for log scrubbing). */
  seal(plain: string): string {
    this.secrets.add(plain);
    return this.box.seal(plain);
  }

  private toState(r: BenefitsRecord, withIds = true): BenefitsState {
    return {
      activated: r.activated,
      accessId: withIds && r.accessIdSealed ? this.box.open(r.accessIdSealed) : undefined,
      contractId: withIds && r.contractIdSealed ? this.box.open(r.contractIdSealed) : undefined,
      startDate: r.startDate,
      endDate: r.endDate,
      onPremisesIncidentsRemaining: r.onPremisesIncidentsRemaining,
      cloudIncidentsRemaining: r.cloudIncidentsRemaining,
      associatedAccounts: r.associatedAccounts,
      activatedAt: r.activatedAt,
      activatedBy: r.activatedBy,
    };
  }
}
