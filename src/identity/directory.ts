/** Who is who: the Directory interface and its org-file implementation. */
import type { Organisation, Person, Role } from '../domain/org.js';
import type { OrgFile } from './org-file.js';
import { deepFreeze } from '../freeze.js';

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

  /** People are handed out as they are (no copy per lookup: it was 1 % of a turn), frozen so nobody changes them. */
  private readonly people: readonly Person[];

  constructor(private readonly org: OrgFile) {
    this.people = org.people.map((p) => deepFreeze(structuredClone(p)));
    this.byId = new Map(this.people.map((p) => [p.aadObjectId.toLowerCase(), p]));
  }

  organisation(): Organisation {
    return this.org.organisation;
  }

  async getPerson(tenantId: string, aadObjectId: string): Promise<Person | undefined> {
    if (!tenantId || tenantId.toLowerCase() !== this.org.organisation.tenantId.toLowerCase()) return undefined;
    const p = this.byId.get((aadObjectId ?? '').toLowerCase());
    return p;
  }

  async listPeople(role: Role): Promise<Person[]> {
    return this.people.filter((p) => p.roles.includes(role));
  }
}

