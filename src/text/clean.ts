/**
 * The one cleaning of user-written text that other people will see (request texts, customer names, notes,
 * decision comments). Pure, no botbuilder.
 */

/**
 * Removed: C0 and C1 control characters except tab and newline, bidirectional controls (embeddings, overrides,
 * isolates, marks — U+202E makes `invoice\u202Efdp.exe` read as `invoiceexe.pdf`) and zero-width characters
 * (which hide text or make two equal-looking strings differ).
 */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
/** A UTF-16 surrogate without its partner: not a character; JSON would carry it as a six-byte escape. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** User text as stored and shown: line breaks normalised to \n, invisible and control characters removed, trimmed. */
export function cleanUserText(text: string | undefined): string {
  return (text ?? '').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').replace(LONE_SURROGATE, '\uFFFD').trim();
}

/** cleanUserText on one line: every run of white space (newlines included) becomes one space. */
export function cleanUserLine(text: string | undefined): string {
  return cleanUserText(text).replace(/\s+/g, ' ');
}
