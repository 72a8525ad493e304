import { cleanUserLine, cleanUserText } from '../../src/text/clean.js';

describe('cleanUserText: what others see of user-written text', () => {
  it.each([
    ['right-to-left override (U+202E)', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['left-to-right and right-to-left embeddings and pop (U+202A-U+202C)', '\u202Aa\u202Bb\u202Cc', 'abc'],
    ['left-to-right override (U+202D)', 'a\u202Db', 'ab'],
    ['isolates (U+2066-U+2069)', '\u2066a\u2067b\u2068c\u2069', 'abc'],
    ['marks (U+200E, U+200F, U+061C)', 'a\u200Eb\u200Fc\u061Cd', 'abcd'],
    ['zero-width space, non-joiner, joiner (U+200B-U+200D)', 'p\u200Ba\u200Cy\u200Dpal', 'paypal'],
    ['word joiner and byte order mark (U+2060, U+FEFF)', '\uFEFFa\u2060b', 'ab'],
    ['C0 controls', 'a\u0000b\u0007c\u001Bd\u007F', 'abcd'],
    ['C1 controls', 'a\u0080b\u009Fc', 'abc'],
    ['lone surrogates (replaced)', 'a\uD800b\uDFFF', 'a\uFFFDb\uFFFD'],
  ])('removes %s', (_name, input, output) => {
    expect(cleanUserText(input)).toBe(output);
  });

  it('keeps newlines, tabs, emoji, Korean and accents; normalises CRLF; trims', () => {
    expect(cleanUserText('  Fehler in Überweisung\r\n\t원격 접속 🙂\r2  ')).toBe('Fehler in Überweisung\n\t원격 접속 🙂\n2');
  });

  it('makes one line for titles and names', () => {
    expect(cleanUserLine(' SQL \u202E\n  down\t now ')).toBe('SQL down now');
  });

  it('treats undefined as empty', () => {
    expect(cleanUserText(undefined)).toBe('');
  });
});
