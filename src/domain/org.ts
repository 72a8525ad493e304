/** The partner organisation as the domain sees it (see shared/spec/org-file.md). Pure data, no I/O. */

export const ROLES = ['globalAdmin', 'mpnPartnerAdmin', 'adminAgent', 'helpDesk'] as const;
export type Role = (typeof ROLES)[number];

export type CompetencyLevel = 'gold' | 'silver';
export interface Competency {
  name: string;
  /** Legacy Gold/Silver level; absent for today's offers (designations, Partner Success), named by `name` alone. */
  level?: CompetencyLevel;
}

/** Membership tier derived from competencies and Action Pack. */
export type Tier = 'gold' | 'silver' | 'actionPack' | 'none';

export interface Person {
  aadObjectId: string;
  name: string;
  email?: string;
  mpnAssociated: boolean;
  cspAssociated: boolean;
  roles: Role[];
}

/** Technical benefits state of a tenant (plain values; encryption happens in storage). */
export interface BenefitsState {
  activated: boolean;
  accessId?: string;
  contractId?: string;
  startDate?: string; // ISO date yyyy-mm-dd
  endDate?: string;
  onPremisesIncidentsRemaining?: number;
  cloudIncidentsRemaining?: number;
  associatedAccounts?: string[];
  activatedAt?: string; // ISO timestamp
  activatedBy?: string; // aadObjectId
}

export interface Organisation {
  tenantId: string;
  name: string;
  partnerId?: string;
  program: string;
  actionPack: boolean;
  competencies: Competency[];
}

/** Tier rule of org-file.md: gold if any competency is gold, else silver, else Action Pack, else none. */
export function membershipTier(org: Pick<Organisation, 'actionPack' | 'competencies'>): Tier {
  if (org.competencies.some((c) => c.level === 'gold')) return 'gold';
  if (org.competencies.some((c) => c.level === 'silver')) return 'silver';
  if (org.actionPack) return 'actionPack';
  return 'none';
}

/** R1: may activate = MPN-associated and Global Admin or MPN Partner Admin. */
export function canActivate(person: Person | undefined): boolean {
  return !!person && person.mpnAssociated && (person.roles.includes('globalAdmin') || person.roles.includes('mpnPartnerAdmin'));
}

/** R2: may view the IDs = MPN-associated person of the organisation. */
export function canViewIds(person: Person | undefined): boolean {
  return !!person && person.mpnAssociated;
}

/** Help desk member (directory role). */
export function isHelpDesk(person: Person | undefined): boolean {
  return !!person && person.roles.includes('helpDesk');
}
