/** Comment settings: every rule of CommentSettings as a labelled control with its hint, and the list of bans. */
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { ErrorSummary, FieldMessage, PostForm, type FieldErrors } from '../../../web/views/form.tsx';
import type { CommentSettings } from '../../settings.ts';
import type { BanView } from '../bans-store.ts';
import { historyHref, shortHash } from './comment-parts.tsx';
import { CommentPagesNav } from './queue-page.tsx';

type Key = keyof CommentSettings;
type Control =
  | { kind: 'checkbox' }
  | { kind: 'number'; min: number; max: number; unit?: string }
  | { kind: 'list' }
  | { kind: 'select'; options: readonly [string, string][] };

interface SettingField {
  name: Key;
  label: string;
  hint: string;
  control: Control;
}

const number = (min: number, max: number, unit?: string): Control => ({ kind: 'number', min, max, unit });

/** The form, group by group; ranges match parseCommentSettingsForm's. */
const GROUPS: readonly { legend: string; fields: readonly SettingField[] }[] = [
  {
    legend: 'Holding comments for moderation',
    fields: [
      { name: 'holdAll', label: 'Hold every comment', hint: 'Nothing appears until a moderator approves it.', control: { kind: 'checkbox' } },
      { name: 'holdFirstTime', label: 'Hold first-time commenters', hint: 'Hold a comment unless its email address already has an approved comment.', control: { kind: 'checkbox' } },
      { name: 'holdLinkCount', label: 'Hold comments with this many links or more', hint: '0 turns this rule off.', control: number(0, 100) },
      { name: 'moderationWords', label: 'Words that hold a comment', hint: 'One word or phrase per line, matched as whole words in any case, in the name, website and text.', control: { kind: 'list' } },
      { name: 'reportThreshold', label: 'Reader reports that send a comment back to the queue', hint: 'An approved comment reported by this many readers waits for a moderator again.', control: number(1, 100) },
    ],
  },
  {
    legend: 'Spam defence',
    fields: [
      { name: 'disallowedWords', label: 'Words that mark a comment as spam', hint: 'One word or phrase per line, matched like the words above.', control: { kind: 'list' } },
      { name: 'disallowedEmails', label: 'Email addresses and domains whose comments are spam', hint: 'One per line: name@example.com for one address, @example.com for a whole domain.', control: { kind: 'list' } },
      { name: 'disallowedIpRanges', label: 'IP addresses and ranges whose comments are spam', hint: 'One per line: an address (203.0.113.7) or a CIDR range (203.0.113.0/24, 2001:db8::/32).', control: { kind: 'list' } },
      { name: 'minFillSeconds', label: 'Least time to fill in the form', hint: 'A form sent sooner than this after the page was served is treated as spam; 0 turns this off.', control: number(0, 600, 'seconds') },
      { name: 'floodSeconds', label: 'Least time between two comments', hint: 'A second comment from the same network or email address sooner than this is refused.', control: number(0, 3600, 'seconds') },
      { name: 'maxPerHour', label: 'Comments per hour', hint: 'The most comments accepted in an hour from one IP address, and from one email address.', control: number(1, 10_000) },
    ],
  },
  {
    legend: 'Threads and display',
    fields: [
      { name: 'closeAfterDays', label: 'Close comments after', hint: 'Days after publication; 0 keeps comments open.', control: number(0, 3650, 'days') },
      { name: 'maxDepth', label: 'Deepest reply level', hint: 'Replies deeper than this attach at this level.', control: number(1, 10) },
      { name: 'perPage', label: 'Top-level comments per page', hint: 'Longer discussions are split into pages.', control: number(5, 500) },
      { name: 'order', label: 'Order of top-level comments', hint: 'Replies are always oldest first under their parent.', control: { kind: 'select', options: [['oldest', 'Oldest first'], ['newest', 'Newest first']] } },
      { name: 'maxLength', label: 'Longest comment', hint: 'In characters.', control: number(100, 20_000, 'characters') },
      { name: 'editWindowMinutes', label: 'Time commenters may edit or delete their own comment', hint: '0 turns this off.', control: number(0, 1440, 'minutes') },
    ],
  },
  {
    legend: 'Notifications',
    fields: [
      { name: 'moderatorNotify', label: 'Email moderators about held comments', hint: 'Each comment at once, one digest an hour, or not at all.', control: { kind: 'select', options: [['immediate', 'Immediately'], ['digest', 'Hourly digest'], ['off', 'Never']] } },
      { name: 'notifyAuthors', label: 'Email article authors about new comments', hint: 'Authors with a newsroom account hear about each approved comment on their articles.', control: { kind: 'checkbox' } },
    ],
  },
  {
    legend: 'Privacy',
    fields: [{ name: 'ipRetentionDays', label: 'Keep IP hashes and browser names for', hint: 'After this many days they are removed from comments; spam is deleted after 30 days.', control: number(1, 3650, 'days') }],
  },
];

/** Labels for the error summary. */
const LABELS: Record<string, string> = Object.fromEntries(GROUPS.flatMap((g) => g.fields.map((f) => [f.name, f.label])));

/** The form's values as text: lists one entry per line, booleans '1' or ''. */
export function settingsFormValues(settings: CommentSettings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, Array.isArray(v) ? v.join('\n') : typeof v === 'boolean' ? (v ? '1' : '') : String(v)]));
}

function SettingControl({ field, value, errors }: { field: SettingField; value: string; errors: FieldErrors }) {
  const { name, control } = field;
  const describedBy = [errors[name] ? `${name}-error` : '', `${name}-hint`].filter(Boolean).join(' ');
  const invalid = errors[name] ? 'true' : undefined;
  if (control.kind === 'checkbox') {
    return (
      <div class="field checkbox-field">
        <div class="checkbox">
          <input id={name} name={name} type="checkbox" value="1" checked={value !== ''} aria-describedby={describedBy} />
          <label for={name}>{field.label}</label>
        </div>
        <p class="field-hint" id={`${name}-hint`}>
          {field.hint}
        </p>
        <FieldMessage name={name} errors={errors} />
      </div>
    );
  }
  return (
    <div class="field">
      <label for={name}>
        {field.label}
        {control.kind === 'number' && control.unit ? ` (${control.unit})` : null}
      </label>
      <p class="field-hint" id={`${name}-hint`}>
        {field.hint}
      </p>
      {control.kind === 'number' ? (
        <input id={name} name={name} type="number" inputMode="numeric" min={control.min} max={control.max} step={1} value={value} class="number-input" aria-invalid={invalid} aria-describedby={describedBy} />
      ) : control.kind === 'list' ? (
        <textarea id={name} name={name} rows={4} aria-invalid={invalid} aria-describedby={describedBy}>
          {value}
        </textarea>
      ) : (
        <select id={name} name={name} aria-invalid={invalid} aria-describedby={describedBy}>
          {control.options.map(([v, label]) => (
            <option value={v} selected={value === v}>
              {label}
            </option>
          ))}
        </select>
      )}
      <FieldMessage name={name} errors={errors} />
    </div>
  );
}

export interface SettingsPageProps {
  frame: AdminFrame;
  values: Record<string, string>;
  errors: FieldErrors;
  bans: BanView[];
  notice?: string;
  canManagePrivacy: boolean;
  formatTime: (iso: string) => string;
}

const BAN_KIND_LABELS = { email: 'Email', ip: 'IP', network: 'Network' } as const;

export function SettingsPage({ frame, values, errors, bans, notice, canManagePrivacy, formatTime }: SettingsPageProps) {
  return (
    <AdminLayout frame={frame} title="Comment settings">
      <h1>Comment settings</h1>
      <CommentPagesNav current="settings" canManagePrivacy={canManagePrivacy} />
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={LABELS} />
      <PostForm action="/admin/comments/settings" csrfToken={frame.csrfToken} className="admin-form comment-settings">
        {GROUPS.map((group) => (
          <fieldset>
            <legend>{group.legend}</legend>
            {group.fields.map((field) => (
              <SettingControl field={field} value={values[field.name] ?? ''} errors={errors} />
            ))}
          </fieldset>
        ))}
        <button type="submit" class="button-primary">
          Save settings
        </button>
      </PostForm>
      <section aria-labelledby="bans-heading" class="comment-bans">
        <h2 id="bans-heading">Bans</h2>
        <p>Comments from a banned email address, IP address or network go straight to spam; the commenter is not told. Ban someone from their history page (the links on each comment in the queue).</p>
        {bans.length ? (
          <table class="admin-table">
            <caption class="visually-hidden">Bans, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Commenter</th>
                <th scope="col">Note</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bans.map((ban) => {
                const who = ban.kind === 'email' ? ban.value : shortHash(ban.value);
                return (
                  <tr data-ban={String(ban.id)}>
                    <td data-label="Kind">{BAN_KIND_LABELS[ban.kind]}</td>
                    <td data-label="Commenter">
                      <a href={historyHref(ban.kind, ban.value)}>{who}</a>
                    </td>
                    <td data-label="Note">{ban.note || '—'}</td>
                    <td data-label="Added">
                      <time datetime={ban.created_at}>{formatTime(ban.created_at)}</time>
                      {ban.user_name ? ` by ${ban.user_name}` : null}
                    </td>
                    <td>
                      <PostForm action={`/admin/comments/bans/${ban.id}/delete`} csrfToken={frame.csrfToken} className="row-form">
                        <button type="submit" class="button-link danger" aria-label={`Remove the ban on ${BAN_KIND_LABELS[ban.kind].toLowerCase()} ${who}`}>
                          Remove
                        </button>
                      </PostForm>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p class="empty">Nobody is banned.</p>
        )}
      </section>
    </AdminLayout>
  );
}
