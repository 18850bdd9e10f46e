/** web/render.ts: pages are encoded to exactly the bytes Buffer.from would give, whatever characters they hold. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8 } from './render.ts';

test('utf8 gives the bytes of Buffer.from for ASCII, Latin-1, other scripts, emoji, NUL and lone surrogates', () => {
  const samples = ['', 'plain ASCII <p>', 'café ©', '“quoted” — ’', 'Ελληνικά 中文 עברית', '😀 a 👍🏽', '\u0000', 'a\ud83db', '\ude00x', 'x\ud83d', '\ud83d\ud83d\ude00', '\ufffe\uffff'];
  for (const text of samples) assert.deepEqual(utf8(text), Buffer.from(text), JSON.stringify(text));
});

test('utf8 matches Buffer.from on random UTF-16, surrogates included', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let n = 0; n < 5000; n++) {
    let text = '';
    for (let i = Math.floor(next() * 24); i > 0; i--) {
      const r = next();
      text += String.fromCharCode(r < 0.3 ? Math.floor(next() * 128) : r < 0.5 ? 0xd800 + Math.floor(next() * 0x800) : Math.floor(next() * 0x10000));
    }
    assert.deepEqual(utf8(text), Buffer.from(text), JSON.stringify(text));
  }
});
