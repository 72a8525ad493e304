/**
 * Example data for every card template, keyed by template name (cards/<name>.json → '<name>'). The generic test
 * test/cards/templates.test.ts expands each template with each example and validates the result, so a new
 * template needs an entry here. Give examples that switch every `$when` on and off; type each one with the
 * template's data interface (`satisfies`) so a changed interface breaks here first. No "${" in the data.
 */
import { Links } from '../../src/domain/links.js';
import type { HelpCardData, MessageCardData } from '../../src/cards/common.js';
import type { AskCardData, DecisionCardData, PickCardData, UnknownCardData } from '../../src/eligibility/cards.js';
import { requestCardFixtures } from '../requests/card-fixtures.js';
import { diagnosisCardFixtures } from '../diagnosis/card-fixtures.js';
import { activationCardFixtures } from '../activation/card-fixtures.js';
import { idsCardFixtures } from '../ids/card-fixtures.js';

const productForm = {
  inputLabel: 'Product and version',
  placeholder: 'For example SQL Server 2022',
  requiredMessage: 'Name a product.',
  productValue: '',
  customerTitle: 'The request is for a customer',
  customerValue: 'false',
  checkTitle: 'Check',
} as const;

export const cardFixtures: Record<string, readonly object[]> = {
  help: [
    {
      title: 'Partner Support Assistant',
      intro: 'I help the people of Contoso.',
      items: [{ title: 'Is it covered?', description: 'Ask about a product.', command: 'eligibility', button: 'Check a product' }],
      footer: 'Ask me anything.',
    } satisfies HelpCardData,
    { title: 'Help', intro: 'Nothing yet.', items: [], footer: '' } satisfies HelpCardData,
  ],

  message: [
    {
      title: 'I didn’t get that',
      text: 'Try one of these:',
      quote: '[click](https://evil.example) <b>bold</b>',
      color: 'Attention',
      commands: [{ title: 'Help', command: 'help', args: '' }],
    } satisfies MessageCardData,
    { title: 'Done', text: 'Saved.', quote: '', color: 'Good', commands: [] } satisfies MessageCardData,
  ],

  'eligibility.decision': [
    {
      title: 'SQL Server 2022',
      verdict: 'Covered by Microsoft Product Support',
      verdictColor: 'Good',
      facts: [
        { title: 'For', value: 'For your own organisation' },
        { title: 'Incidents', value: 'Uses 1 of 17 remaining on-premises incidents.' },
      ],
      whyTitle: 'Why',
      reasons: [{ text: 'SQL Server 2022 is the previous version (N-1).' }],
      idsFirst: true,
      idsText: 'Enter the IDs the first time.',
      showIdsButton: true,
      idsButton: 'Show the IDs',
      hasSteps: true,
      stepsTitle: 'What to do',
      steps: [
        { n: '1.', text: 'Open Support for Business.', hasLink: true, linkTitle: 'Support for Business', url: Links.supportForBusiness },
        { n: '2.', text: 'Create the request.', hasLink: false, linkTitle: '', url: '' },
      ],
      hasPaid: false,
      paidText: 'Paid options:',
      paid: [],
      tpd: false,
      tpdText: 'TPD',
      tpdLinks: [],
      notes: [],
      openRequest: true,
      openRequestTitle: 'Open a support request',
      productLabel: 'SQL Server 2022',
      recheck: true,
      recheckTitle: 'Check for a customer instead',
      familyId: 'sql-server',
      versionId: '2022',
      recheckCustomer: true,
    } satisfies DecisionCardData,
    {
      title: 'Your technical support benefits',
      verdict: 'Not covered',
      verdictColor: 'Attention',
      facts: [{ title: 'For', value: 'For a customer' }],
      whyTitle: 'Why',
      reasons: [{ text: 'Older than N-1.' }, { text: 'Second reason.' }],
      idsFirst: false,
      idsText: '',
      showIdsButton: false,
      idsButton: 'Show the IDs',
      hasSteps: false,
      stepsTitle: 'What to do',
      steps: [],
      hasPaid: true,
      paidText: 'Paid options:',
      paid: [
        { title: 'Compare support plans', url: Links.partnerSupportPlans },
        { title: 'Premier Support for Partners', url: Links.partnerSupportPlans },
      ],
      tpd: true,
      tpdText: 'Technical Presales and Deployment services.',
      tpdLinks: [{ title: 'About TPD', url: Links.technicalPresales }],
      notes: [{ text: 'General guidance only.' }],
      openRequest: false,
      openRequestTitle: 'Open a support request',
      productLabel: '',
      recheck: false,
      recheckTitle: 'Check for my organisation instead',
      familyId: '',
      versionId: '',
      recheckCustomer: false,
    } satisfies DecisionCardData,
  ],

  'eligibility.ask': [
    { title: 'Which product is it about?', text: 'Tell me the product.', error: '', ...productForm } satisfies AskCardData,
    { title: 'Which product is it about?', text: 'Tell me the product.', error: 'Please name a product first.', ...productForm, customerValue: 'true', productValue: 'sql' } satisfies AskCardData,
  ],

  'eligibility.pick': [
    {
      title: 'Which version of SQL Server?',
      text: 'Pick one:',
      quote: 'is sql server covered',
      audience: 'For your own organisation',
      candidates: [
        { title: 'SQL Server 2022', familyId: 'sql-server', versionId: '2022', onBehalfOfCustomer: false },
        { title: 'Azure', familyId: 'azure', versionId: '', onBehalfOfCustomer: false },
      ],
    } satisfies PickCardData,
    { title: 'Which product do you mean?', text: 'Pick one:', quote: '', audience: 'For a customer', candidates: [{ title: 'Azure', familyId: 'azure', versionId: '', onBehalfOfCustomer: true }] } satisfies PickCardData,
  ],

  'eligibility.unknown': [
    {
      title: 'I don’t know that version of SQL Server',
      text: 'Known versions: SQL Server 2025, SQL Server 2022.',
      quote: 'sql 2008',
      hasSuggestions: true,
      suggestionsTitle: 'Known versions',
      suggestions: [{ title: 'SQL Server 2022', familyId: 'sql-server', versionId: '2022', onBehalfOfCustomer: false }],
      links: [{ title: 'N-1 policy', url: Links.nMinusOnePolicy }],
      retryTitle: 'Or type the product again:',
      ...productForm,
    } satisfies UnknownCardData,
    {
      title: 'I don’t know that product',
      text: 'Try a name like SQL Server 2022.',
      quote: '',
      hasSuggestions: false,
      suggestionsTitle: 'Did you mean',
      suggestions: [],
      links: [],
      retryTitle: 'Or type the product again:',
      ...productForm,
      customerValue: 'true',
    } satisfies UnknownCardData,
  ],

  ...requestCardFixtures,
  ...diagnosisCardFixtures,
  ...activationCardFixtures,
  ...idsCardFixtures,
};
