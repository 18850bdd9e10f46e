import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertShortcodes, linkBareUrls, unknownShortcodes, type WxrAttachment } from './shortcodes.ts';

const photo: WxrAttachment = { id: '7', url: 'https://old.example/wp-content/uploads/a.jpg', title: 'Quay', alt: 'The quay at dusk', parent: '3', link: '' };
const ctx = { postId: '3', attachments: new Map([['7', photo]]), attachedTo: new Map([['3', ['7']]]) };

test('[caption] with a linked image and caption text becomes a figure with a figcaption', () => {
  const { html } = convertShortcodes('[caption id="attachment_7" align="alignleft" width="300"]<a href="https://x.example/"><img src="https://x.example/a.jpg" alt="A" /></a> Boats at <em>dawn</em>[/caption]', ctx);
  assert.equal(html, '<figure><a href="https://x.example/"><img src="https://x.example/a.jpg" alt="A" /></a><figcaption>Boats at <em>dawn</em></figcaption></figure>');
});

test('[caption caption="…"] (the pre-3.4 form) takes the caption from the attribute', () => {
  assert.equal(convertShortcodes('[caption caption="Old form"]<img src="https://x.example/a.jpg" />[/caption]', ctx).html, '<figure><img src="https://x.example/a.jpg" /><figcaption>Old form</figcaption></figure>');
});

test('[gallery] shows the post’s attached images; [gallery ids] the named ones; unknown ids are left out', () => {
  const expected = '<figure><img src="https://old.example/wp-content/uploads/a.jpg" alt="The quay at dusk"></figure>';
  assert.equal(convertShortcodes('[gallery]', ctx).html, expected);
  assert.equal(convertShortcodes('[gallery ids="99,7"]', ctx).html, expected);
  assert.equal(convertShortcodes('[gallery ids="99"]', ctx).html, '');
});

test('[embed], [audio] and [video] become links; only http(s) addresses', () => {
  assert.equal(convertShortcodes('[embed]https://video.example/v/1[/embed]', ctx).html, '<p><a href="https://video.example/v/1">https://video.example/v/1</a></p>');
  assert.equal(convertShortcodes('[audio mp3="https://a.example/x.mp3"]', ctx).html, '<p><a href="https://a.example/x.mp3">https://a.example/x.mp3</a></p>');
  assert.equal(convertShortcodes('[video src="javascript:alert(1)"]', ctx).html, '');
});

test('unknown shortcodes are reported by name and left as text; bracketed words are not shortcodes', () => {
  const result = convertShortcodes('[pullquote]Tides[/pullquote] [contact-form to="a@b.example"] [sic] [when asked] [gallery]', ctx);
  assert.deepEqual(result.unknown.sort(), ['contact-form', 'pullquote']);
  assert.match(result.html, /\[pullquote\]Tides\[\/pullquote\]/);
  assert.deepEqual(unknownShortcodes('As he said [sic], "we [the crew] stay".'), []);
});

test('a bare URL on its own line becomes a link; one inside a sentence is left alone', () => {
  assert.equal(linkBareUrls('Watch:\nhttps://video.example/v/1\nThen https://x.example/ later.'), 'Watch:\n<a href="https://video.example/v/1">https://video.example/v/1</a>\nThen https://x.example/ later.');
});
