/**
 * Example data for the diagnosis templates, one entry per variant (every `$when` on and off). The generic
 * template test (test/cards/templates.test.ts) wants these under their template names in test/cards/fixtures.ts:
 * `...diagnosisCardFixtures`. No "${" in the data.
 */
import type { AskCardData, ChooseCardData, FeedbackData, QuestionsCardData, ResultCardData } from '../../src/diagnosis/cards.js';
import { Links } from '../../src/domain/links.js';

const feedback = (helpful: boolean): FeedbackData => ({
  entryId: 'accessIdAlreadyAssociated',
  helpful,
  text: 'Access ID is already associated …',
  associatedBefore: 'yes',
  contractExpired: '',
  incidentsLeft: '',
});

const verdict: ResultCardData = {
  title: '"Access ID is already associated"',
  headline: 'You can ignore this error',
  headlineColor: 'Good',
  quoteLabel: 'You wrote',
  quote: 'Access ID is already associated … [click](https://evil.example) <b>bold</b>',
  reason: 'You added the contract to this account before.',
  detail: 'Your support contract ended on 2025-06-30.',
  stepsTitle: 'What to do',
  steps: [
    { n: '1.', text: 'Use + New support request.', hasLink: true, linkTitle: 'Azure Help + Support', url: Links.azurePortalSupport },
    { n: '2.', text: 'Ignore this message.', hasLink: false, linkTitle: '', url: '' },
  ],
  moreTitle: 'More information',
  more: [{ title: 'Support for Business', url: Links.supportForBusiness }],
  askFeedback: true,
  feedbackQuestion: 'Was this helpful?',
  yesTitle: 'Yes',
  noTitle: 'No',
  yesData: feedback(true),
  noData: feedback(false),
  thanks: '',
  commands: [{ title: 'Still stuck? Open a help desk request', command: 'newRequest', args: 'Access ID is already associated …' }],
};

export const diagnosisCardFixtures: Record<string, readonly object[]> = {
  'diagnosis.ask': [
    {
      title: 'Which error did you get?',
      intro: 'Paste the error message.',
      error: '',
      label: 'Error message',
      placeholder: 'For example: Access ID is already associated …',
      requiredMessage: 'Paste the error message first.',
      value: '',
      maxLength: 2000,
      button: 'Diagnose',
    } satisfies AskCardData,
    {
      title: '어떤 오류가 표시되었나요?',
      intro: '오류 메시지를 붙여 넣으세요.',
      error: '입력된 내용이 없습니다.',
      label: '오류 메시지',
      placeholder: '예: 액세스 ID가 이미 연결되어 있습니다 …',
      requiredMessage: '먼저 오류 메시지를 붙여 넣으세요.',
      value: 'You are not authorized',
      maxLength: 2000,
      button: '진단',
    } satisfies AskCardData,
  ],

  'diagnosis.result': [
    verdict,
    {
      ...verdict,
      title: '"You are not authorized for this action"',
      headline: '',
      headlineColor: 'Default',
      quote: '',
      detail: '',
      steps: [],
      more: [],
      askFeedback: false,
      thanks: 'Thanks for telling me. Glad it helped.',
      commands: [],
    } satisfies ResultCardData,
  ],

  'diagnosis.choose': [
    {
      title: 'Which message do you mean?',
      text: 'Choose the one you saw:',
      quoteLabel: 'You wrote',
      quote: 'You are not authorized … Looks like you don’t have any benefits yet',
      candidates: [
        { title: '"You are not authorized for this action"', explanation: 'CSP-only account.', button: 'This one', data: { entryId: 'notAuthorized', text: 'x' } },
        { title: '"Looks like you don\'t have any benefits yet"', explanation: 'Wrong account.', button: 'This one', data: { entryId: 'noBenefitsYet', text: 'x' } },
      ],
      commands: [{ title: 'None of these: open a help desk request', command: 'newRequest', args: 'x' }],
    } satisfies ChooseCardData,
    { title: 'Which message do you mean?', text: 'Choose:', quoteLabel: 'You wrote', quote: '', candidates: [], commands: [] } satisfies ChooseCardData,
  ],

  'diagnosis.questions': [
    {
      title: '"Access ID is already associated"',
      intro: 'Please answer these questions.',
      quoteLabel: 'You wrote',
      quote: 'Access ID is already associated …',
      warning: '',
      questions: [
        {
          id: 'associatedBefore',
          label: 'Have you entered this Access ID before?',
          value: '',
          requiredMessage: 'Choose an answer.',
          choices: [
            { title: 'Yes', value: 'yes' },
            { title: 'No', value: 'no' },
            { title: 'I’m not sure', value: 'unsure' },
          ],
          hasLink: false,
          linkTitle: '',
          url: '',
        },
        {
          id: 'incidentsLeft',
          label: 'Does your cloud incident pack still have incidents left?',
          value: 'no',
          requiredMessage: 'Choose an answer.',
          choices: [
            { title: 'Yes', value: 'yes' },
            { title: 'No', value: 'no' },
          ],
          hasLink: true,
          linkTitle: 'Where to look it up: How to see incidents remaining',
          url: Links.incidentsRemaining,
        },
      ],
      submitTitle: 'Show me what to do',
      submitData: { message: 'generic', text: 'Access ID is already associated …' },
      commands: [{ title: 'Still stuck? Open a help desk request', command: 'newRequest', args: 'Access ID is already associated …' }],
    } satisfies QuestionsCardData,
    {
      title: '"Access ID is already associated"',
      intro: 'Please answer.',
      quoteLabel: 'You wrote',
      quote: '',
      warning: 'Please answer every question.',
      questions: [],
      submitTitle: 'Show me what to do',
      submitData: { message: 'tam', text: '' },
      commands: [],
    } satisfies QuestionsCardData,
  ],
};
