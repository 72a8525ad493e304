/**
 * Example data for the activation templates, keyed like test/cards/fixtures.ts (template name → examples). Every `$when`
 * is switched on in one example and off in another. To cover them in the generic template test, spread this object
 * into `cardFixtures` there: `...activationCardFixtures`.
 */
import { Links } from '../../src/domain/links.js';
import type { ApprovalCardData, FormCardData, GuideCardData, StepsCardData } from '../../src/activation/cards.js';

const off = { show: false, title: '' };

export const activationCardFixtures: Record<string, readonly object[]> = {
  'activation.guide': [
    {
      title: 'Only an admin can activate',
      color: 'Default',
      paragraphs: ['The Activate button is greyed out for you.', 'I can ask them for you.'],
      rows: [{ label: 'Requested:', value: '2026-06-01 09:30 UTC' }],
      peopleTitle: 'People in Contoso who can activate:',
      people: ['Alex Wilber', '[click](https://evil.example) <b>Megan</b>'],
      quoteLabel: 'Comment:',
      quote: '**not bold** [link](https://evil.example)',
      links: [
        { title: 'User Management', url: Links.userManagement },
        { title: 'Technical benefits', url: Links.technicalBenefits },
      ],
      ask: { show: true, title: 'Ask an admin to activate' },
      ids: { show: true, title: 'Show the IDs' },
      update: { show: true, title: 'Correct the contract' },
    } satisfies GuideCardData,
    {
      title: 'You are not authorized for this action',
      color: 'Attention',
      paragraphs: ['Use your MPN-associated account.'],
      rows: [],
      peopleTitle: '',
      people: [],
      quoteLabel: '',
      quote: '',
      links: [],
      ask: off,
      ids: off,
      update: off,
    } satisfies GuideCardData,
  ],

  'activation.steps': [
    {
      title: 'Activate the technical support benefits',
      intro: 'You can activate them.',
      note: 'Adele Vance asked for this (request AR-0001).',
      steps: ['1. Sign in.', '2. Open Technical benefits.', '3. Select Activate.', '4. Enter the IDs here.'],
      links: [
        { title: 'Partner Center', url: Links.partnerCenterDashboard },
        { title: 'Technical benefits', url: Links.technicalBenefits },
      ],
      doneTitle: 'I have activated',
      requestId: 'AR-0001',
    } satisfies StepsCardData,
    { title: 'Activate', intro: 'Steps:', note: '', steps: ['1. Sign in.'], links: [], doneTitle: 'I have activated', requestId: '' } satisfies StepsCardData,
  ],

  'activation.form': [
    {
      title: 'Record the activation',
      intro: 'Copy the IDs exactly.',
      errorsTitle: 'Please fix these and save again:',
      errors: ['Access ID: is required.', 'Contract end date: must be after the start date.'],
      requiredMessage: 'This field is required.',
      labels: { accessId: 'Access ID', contractId: 'Contract ID', startDate: 'Contract start date', endDate: 'Contract end date' },
      placeholders: { accessId: 'As shown in Partner Center', contractId: 'As shown in Partner Center' },
      values: { accessId: 'x', contractId: 'CONTRACT-1', startDate: '2026-05-01', endDate: '2026-04-01' },
      maxLength: 64,
      mode: 'activate',
      requestId: 'AR-0001',
      saveTitle: 'Save',
    } satisfies FormCardData,
    {
      title: 'Update the contract',
      intro: 'Copy the IDs exactly.',
      errorsTitle: 'Please fix these and save again:',
      errors: [],
      requiredMessage: 'This field is required.',
      labels: { accessId: 'Access ID', contractId: 'Contract ID', startDate: 'Contract start date', endDate: 'Contract end date' },
      placeholders: { accessId: 'As shown in Partner Center', contractId: 'As shown in Partner Center' },
      values: { accessId: '', contractId: '', startDate: '', endDate: '' },
      maxLength: 64,
      mode: 'update',
      requestId: '',
      saveTitle: 'Save',
    } satisfies FormCardData,
  ],

  'activation.approval': [
    {
      requestId: 'AR-0001',
      userIds: ['29:user-20', '29:user-21'],
      title: 'Activation request AR-0001',
      headline: 'Waiting for an admin since 2026-06-01 09:30 UTC',
      headlineColor: 'Accent',
      paragraphs: ['Adele Vance asks you to activate.', 'Approve to get the steps.'],
      rows: [
        { label: 'Requested by:', value: 'Adele Vance' },
        { label: 'Requested:', value: '2026-06-01 09:30 UTC' },
      ],
      quoteLabel: '',
      quote: '',
      unreachableTitle: '',
      unreachable: [],
      admin: { show: true, commentLabel: 'Comment (optional)', commentPlaceholder: 'For example', commentMax: 500, approveTitle: 'Approve', rejectTitle: 'Reject' },
    } satisfies ApprovalCardData,
    {
      requestId: 'AR-0002',
      userIds: [],
      title: 'Activation request AR-0002',
      headline: 'Rejected by Megan Bowen at 2026-06-01 10:00 UTC',
      headlineColor: 'Attention',
      paragraphs: [],
      rows: [{ label: 'Requested by:', value: 'Adele Vance' }],
      quoteLabel: 'Comment:',
      quote: '[renew](https://evil.example) first',
      unreachableTitle: 'I could not reach these admins:',
      unreachable: ['Alex Wilber'],
      admin: { show: false, commentLabel: '', commentPlaceholder: '', commentMax: 500, approveTitle: '', rejectTitle: '' },
    } satisfies ApprovalCardData,
  ],
};
