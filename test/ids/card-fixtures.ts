/**
 * Example data for the IDs templates, in the shape of test/cards/fixtures.ts (template name → examples), so the
 * generic template test can spread them in: `...idsCardFixtures`. Every `$when` is switched on and off.
 */
import { Links } from '../../src/domain/links.js';
import type { ContractFormData, IdsCardData, IncidentsCardData } from '../../src/ids/cards.js';

const portal = (associated: boolean) => ({
  id: 'azure' as const,
  name: 'Azure portal',
  steps: [{ text: '1. In the Azure portal, open Help + Support.' }, { text: '2. Select Support Plans, then Link support benefits.' }],
  linkTitle: 'Open Azure Help + Support',
  url: Links.azurePortalSupport,
  associated,
  associatedText: associated ? 'You marked this as done on 2026-11-25 10:00 UTC.' : '',
  markTitle: 'I have associated it in Azure portal',
});

const idsCard: IdsCardData = {
  title: 'Access ID and Contract ID of Contoso Partners',
  intro: 'These are the IDs Partner Center shows.',
  warnings: [{ text: 'Only 2 Microsoft Product Support incidents are left.' }],
  notice: 'Noted: associated in Azure portal.',
  accessIdLabel: 'Access ID:',
  accessId: 'SA••••••••••••••9Q',
  contractIdLabel: 'Contract ID:',
  contractId: 'SA•••••••••••••••••01',
  revealed: false,
  idsHint: 'Hidden. Select Reveal.',
  contractTitle: 'Contract',
  contractFacts: [{ title: 'Period', value: '2026-02-15 to 2027-03-17 (112 days left)' }],
  firstTimeText: 'You need them only once per account in each portal.',
  revealTitle: 'Reveal',
  hideTitle: 'Hide',
  portalsTitle: 'Enter them in a portal',
  portalsIntro: 'The first time you use a portal…',
  portals: [portal(false), portal(true)],
  m365Note: 'Microsoft 365 needs no Access ID or Contract ID.',
  incidentsTitle: 'Incidents left',
  canEdit: true,
  editTitle: 'Edit contract',
};

const incidents: IncidentsCardData = {
  title: 'Support contract of Contoso Partners',
  notice: 'Saved.',
  warnings: [{ text: 'The contract ends on 2026-12-01, in 6 days.' }],
  facts: [
    { title: 'Microsoft Product Support incidents left', value: '17' },
    { title: 'Last updated', value: '2026-11-25 10:00 UTC' },
  ],
  localNote: 'These are the figures I keep.',
  verifyTitle: 'Check the real figures in Support for Business',
  verifySteps: [{ text: '1. Open Support for Business.' }, { text: '2. Choose Windows 10.' }],
  addContractText: 'Contract not shown at step 2?',
  unavailableText: 'Partner Support appears under "Would you like to see unavailable support plans?" only when…',
  links: [
    { title: 'Open Support for Business', url: Links.supportForBusiness },
    { title: 'How many incidents are left (article)', url: Links.incidentsRemaining },
  ],
  canEdit: true,
  editTitle: 'Edit contract',
};

const form: ContractFormData = {
  title: 'Edit the contract',
  intro: 'Correct the figures.',
  errorsTitle: 'Please correct:',
  errors: [{ text: 'End date: The end date must be after the start date.' }],
  requiredMessage: 'Required.',
  countMessage: 'Enter a whole number from 0 to 999.',
  labels: { startDate: 'Start date', endDate: 'End date', onPremises: 'On-premises incidents left', cloud: 'Cloud incidents left' },
  cloudPlaceholder: 'Empty = not counted',
  values: { startDate: '2026-02-15', endDate: '2027-03-17', onPremises: '17', cloud: '' },
  version: 4,
  saveTitle: 'Save',
  cancelTitle: 'Cancel',
};

export const idsCardFixtures: Record<string, readonly object[]> = {
  'ids.card': [idsCard, { ...idsCard, warnings: [], notice: '', revealed: true, accessId: 'SAMPLE-ACCESS-0000', contractFacts: [], canEdit: false, portals: [portal(true)] } satisfies IdsCardData],
  'ids.incidents': [incidents, { ...incidents, notice: '', warnings: [], canEdit: false } satisfies IncidentsCardData],
  'ids.contract': [form, { ...form, errors: [], version: 0 } satisfies ContractFormData],
};
