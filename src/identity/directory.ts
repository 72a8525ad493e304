/** Who is who: the Directory interface and its org-file implementation. */
import type { Organisation, Person, Role } from '../domain/org.js';
import type { OrgFile } from './org-file.js';

/** The directory could not answer (Graph down, throttled, missing permission); privileged actions fail closed. */
export class DirectoryUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'DirectoryUnavailableError';
  }
}

export interface Directory {
  /** The partner organisation this bot serves. */
  organisation(): Organisation;
  /** The person, or undefined for unknown users and other tenants. Throws DirectoryUnavailableError. */
  getPerson(tenantId: string, aadObjectId: string): Promise<Person | undefined>;
  /** People of the organisation holding `role`. */
  listPeople(role: Role): Promise<Person[]>;
}

/** Directory backed by the organisation file. */
export class OrgFileDirectory implements Directory {
  private readonly byId: Map<string, Person>;

  constructor(private readonly org: OrgFile) {
    this.byId = new Map(org.people.map((p) => [p.aadObjectId.toLowerCase(), p]));
  }

  organisation(): Organisation {
    return this.org.organisation;
  }

  async getPerson(tenantId: string, aadObjectId: string): Promise<Person | undefined> {
    if (!tenantId || tenantId.toLowerCase() !== this.org.organisation.tenantId.toLowerCase()) return undefined;
    const p = this.byId.get((aadObjectId ?? '').toLowerCase());
    return p ? structuredClone(p) : undefined;
  }

  async listPeople(role: Role): Promise<Person[]> {
    return this.org.people.filter((p) => p.roles.includes(role)).map((p) => structuredClone(p));
  }
}
