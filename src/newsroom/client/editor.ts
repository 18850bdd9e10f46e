/**
 * Progressive enhancement of the article editor (bundled by esbuild, served as /assets/editor.js):
 * a TipTap rich-text editor over the body textarea (which keeps holding the HTML the server receives and
 * sanitises again), and a copy of unsaved work in localStorage that survives an expired session.
 */
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';

const form = document.querySelector<HTMLFormElement>('form.editor-form');
const textarea = document.querySelector<HTMLTextAreaElement>('#body_html');

/** localStorage keys of unsaved copies belong to one user (a shared browser must not hand them to the next). */
const keyPrefix = `broadsheet:draft:${document.body.dataset.user ?? 'anonymous'}:`;
/** This form's unsaved copy: one per article, or one for a new article. */
const draftKey = `${keyPrefix}${form?.getAttribute('action') ?? 'none'}`;
/** Saves of the article form itself; after them the saved article is the truth and the copy can go. */
const ARTICLE_SAVES = ['save', 'submit', 'publish', 'schedule', 'unpublish', 'restore'];
const FIELDS = ['headline', 'dek', 'slug', 'body_html', 'dateline', 'section', 'tags', 'authors', 'credits', 'comment_status', 'publish_at'];

function mountRichText(area: HTMLTextAreaElement): Editor {
  const holder = document.createElement('div');
  holder.className = 'rich-text';
  const toolbar = document.createElement('div');
  toolbar.className = 'rich-text-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Formatting');
  const surface = document.createElement('div');
  holder.append(toolbar, surface);
  area.after(holder);
  area.hidden = true;

  const editor = new Editor({
    element: surface,
    // TipTap's injected <style> would break the strict CSP; admin.css carries the few rules ProseMirror needs.
    injectCSS: false,
    extensions: [StarterKit.configure({ heading: { levels: [2, 3, 4] }, codeBlock: false, link: { openOnClick: false, protocols: ['http', 'https', 'mailto'] } })],
    content: area.value,
    editorProps: {
      attributes: { class: 'rich-text-surface', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': 'body_html-label', 'aria-describedby': 'body_html-hint' },
    },
    onUpdate: ({ editor: e }) => {
      area.value = e.getHTML();
      area.dispatchEvent(new Event('input', { bubbles: true }));
    },
  });

  const buttons: [label: string, run: () => void, active: () => boolean][] = [
    ['Bold', () => editor.chain().focus().toggleBold().run(), () => editor.isActive('bold')],
    ['Italic', () => editor.chain().focus().toggleItalic().run(), () => editor.isActive('italic')],
    ['Subheading', () => editor.chain().focus().toggleHeading({ level: 2 }).run(), () => editor.isActive('heading', { level: 2 })],
    ['Quote', () => editor.chain().focus().toggleBlockquote().run(), () => editor.isActive('blockquote')],
    ['Bulleted list', () => editor.chain().focus().toggleBulletList().run(), () => editor.isActive('bulletList')],
    ['Numbered list', () => editor.chain().focus().toggleOrderedList().run(), () => editor.isActive('orderedList')],
    [
      'Link',
      () => {
        const href = window.prompt('Link address (https://…); empty removes the link', editor.getAttributes('link').href ?? '');
        if (href === null) return;
        if (href.trim()) editor.chain().focus().extendMarkRange('link').setLink({ href: href.trim() }).run();
        else editor.chain().focus().extendMarkRange('link').unsetLink().run();
      },
      () => editor.isActive('link'),
    ],
  ];
  const refresh: (() => void)[] = [];
  for (const [label, run, active] of buttons) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', run);
    toolbar.append(button);
    refresh.push(() => button.setAttribute('aria-pressed', String(active())));
  }
  editor.on('transaction', () => refresh.forEach((r) => r()));
  return editor;
}

function formValues(f: HTMLFormElement): Record<string, string> {
  const data = new FormData(f);
  return Object.fromEntries(FIELDS.map((name) => [name, String(data.get(name) ?? '')]));
}

function keepDrafts(f: HTMLFormElement, editor: Editor | undefined): void {
  const saved = ARTICLE_SAVES.includes(new URLSearchParams(location.search).get('saved') ?? '');
  if (saved) {
    // Saved: neither this article's copy nor the copy kept while it was still a new article is needed any more.
    localStorage.removeItem(draftKey);
    localStorage.removeItem(`${keyPrefix}/admin/articles`);
  }
  const stored = localStorage.getItem(draftKey);
  const current = JSON.stringify(formValues(f));
  if (stored && !saved) {
    const draft = JSON.parse(stored) as { at: string; values: Record<string, string> };
    if (JSON.stringify(draft.values) !== current) {
      const offer = document.createElement('div');
      offer.className = 'notice draft-offer';
      offer.setAttribute('role', 'status');
      const text = document.createElement('span');
      text.textContent = `This browser kept unsaved changes from ${new Date(draft.at).toLocaleString()}. `;
      const restore = document.createElement('button');
      restore.type = 'button';
      restore.className = 'button-secondary';
      restore.textContent = 'Restore them';
      restore.addEventListener('click', () => {
        for (const [name, value] of Object.entries(draft.values)) {
          const field = f.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null;
          if (field) field.value = value;
        }
        editor?.commands.setContent(draft.values.body_html ?? '');
        offer.remove();
        (f.elements.namedItem('headline') as HTMLInputElement | null)?.focus();
      });
      offer.append(text, restore);
      f.before(offer);
    }
  }
  // Leaving the page with unsaved changes (another form, a link) asks first; the copy stays either way.
  let dirty = false;
  const save = () => {
    dirty = true;
    localStorage.setItem(draftKey, JSON.stringify({ at: new Date().toISOString(), values: formValues(f) }));
  };
  f.addEventListener('input', save);
  f.addEventListener('change', save);
  f.addEventListener('submit', () => {
    dirty = false;
  });
  window.addEventListener('beforeunload', (event) => {
    if (dirty) event.preventDefault();
  });
}

if (form && textarea) {
  const editor = mountRichText(textarea);
  keepDrafts(form, editor);
}
