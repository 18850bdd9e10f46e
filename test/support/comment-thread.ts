/**
 * A realistic comment thread for reader-page budgets and audits: approved comments of varied length from varied
 * readers, a third of them replies (some replies to replies), written as the pipeline stores them.
 */
import type { DB } from '../../src/db/database.ts';
import { addComment } from './comments.ts';

const NAMES = ['Margit Olsen', 'Daniel Achebe', 'Lea Fontaine', 'Tomás Ibarra', 'Priya Raman', 'Jonas Weber', 'Aiko Tanaka', 'Samuel Osei', 'Ines Duarte', 'Kalle Virtanen', 'Fatima Zahra', 'Owen Price'];

const SENTENCES = [
  'A clear-eyed piece, and the point about priced-in sanctions explains a lot about how both sides read this week.',
  'I would have liked more on what European capitals could actually do next.',
  'The closing quote says it all.',
  'Thanks for including the research credit: too many outlets leave those off.',
  'Trade figures from the last two quarters tell a more complicated story than the speeches do.',
  'Has anyone seen the full transcript of the press conference? The excerpts here are short.',
  'My family has lived near the border for three generations and the mood there is nothing like what is described in Moscow.',
  'Good reporting. The timeline in the middle section is especially useful.',
  'I disagree with the framing of the second paragraph; it assumes the outcome before the talks have even ended.',
  'Energy contracts are the real story, and they get only a sentence.',
  'Worth remembering that similar summits in 2014 and 2019 produced very little in practice.',
  'Could the paper publish the figures behind the chart as a table? Screen readers cannot read the image.',
  'The photographs from the state banquet say more than the communiqué.',
  'This is why I subscribe: context, not just headlines.',
];

/**
 * Adds `count` approved comments to article `articleId`, a minute apart from `start` (ISO-8601 UTC); every
 * third one answers an earlier comment, every ninth an earlier reply. Returns their ids in order.
 */
export async function addCommentThread(db: DB, articleId: number, count: number, start: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + (i % 4);
    const body = Array.from({ length }, (_, j) => SENTENCES[(i * 5 + j * 3) % SENTENCES.length]).join(i % 3 === 1 ? '\n\n' : ' ');
    const parentId = i % 9 === 8 ? ids[i - 1] : i % 3 === 2 ? ids[i - 2] : undefined;
    const name = NAMES[i % NAMES.length]!;
    ids.push(
      await addComment(db, articleId, {
        status: 'approved',
        name,
        email: `${name.split(' ')[0]!.toLowerCase()}.${i}@example.org`,
        url: i % 5 === 0 ? `https://example.org/${i}` : '',
        body,
        parentId,
        createdAt: new Date(Date.parse(start) + (i + 1) * 60_000).toISOString(),
      }),
    );
  }
  return ids;
}
