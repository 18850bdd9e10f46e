/**
 * Characters no published text may hold: C0 controls other than tab, line feed and carriage return, DEL, the C1
 * controls, and Unicode noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF). HTML forbids them in documents (the Nu
 * HTML Checker reports each one) and PostgreSQL cannot store NUL; lone surrogates become U+FFFD.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;

/** `text` with the forbidden characters above removed and lone surrogates replaced by U+FFFD. */
export function cleanText(text: string): string {
  return Buffer.from(text.replace(FORBIDDEN, ''), 'utf8').toString('utf8');
}
