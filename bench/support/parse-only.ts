/** Baseline child of the import benchmark: streams a WXR file through readWxr and prints what it saw as JSON. */
import { readWxr } from '../../src/importers/wxr/parse.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: node --import tsx bench/support/parse-only.ts FILE');
  process.exit(2);
}
let posts = 0;
let items = 0;
let comments = 0;
let authors = 0;
for await (const entry of readWxr(file)) {
  if (entry.kind === 'author') authors++;
  if (entry.kind !== 'item') continue;
  items++;
  if ((entry.item.postType.trim() || 'post') === 'post') posts++;
  comments += entry.item.comments.length;
}
console.log(JSON.stringify({ items, posts, comments, authors }));
