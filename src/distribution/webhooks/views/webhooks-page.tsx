/** /admin/webhooks: the webhooks, a form to add one, and the delivery log of them all. */
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { ErrorSummary, Field, PostForm, type FieldErrors } from '../../../web/views/form.tsx';
import { WEBHOOK_EVENTS } from '../events.ts';
import type { DeliveryListRow } from '../store.ts';
import { DeliveryLog, EventCheckboxes, type FormatTime } from './webhook-parts.tsx';

export interface WebhookSummary {
  id: number;
  url: string;
  events: string[];
  active: boolean;
}

/** Labels of the webhook form's fields, for the error summary. */
export const WEBHOOK_FIELD_LABELS = { url: 'URL', events: 'Events' };

/** The list of webhooks, the form to add one (all events ticked by default), and the log of every delivery. */
export function WebhooksPage(props: {
  frame: AdminFrame;
  webhooks: WebhookSummary[];
  deliveries: DeliveryListRow[];
  /** The add form as typed, after a refusal. */
  values?: { url: string; events: string[] };
  errors: FieldErrors;
  notice?: string;
  formatTime: FormatTime;
}) {
  const { frame, webhooks, errors } = props;
  return (
    <AdminLayout frame={frame} title="Webhooks">
      <h1>Webhooks</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        Each webhook receives a signed JSON <code>POST</code> when an article is published, updated or unpublished, or a comment is approved. Failed deliveries are
        retried after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours.
      </p>
      {webhooks.length ? (
        <table class="admin-table webhook-list">
          <caption class="visually-hidden">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((w) => (
              <tr data-webhook={String(w.id)}>
                <td>
                  <a href={`/admin/webhooks/${w.id}`}>{w.url}</a>
                </td>
                <td>{w.events.join(', ')}</td>
                <td>{w.active ? 'active' : 'disabled'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No webhooks yet.</p>
      )}
      <section class="admin-panel" aria-labelledby="add-heading">
        <h2 id="add-heading">Add a webhook</h2>
        <ErrorSummary errors={errors} labels={WEBHOOK_FIELD_LABELS} />
        <PostForm action="/admin/webhooks" csrfToken={frame.csrfToken}>
          <Field name="url" label="URL" type="url" errors={errors} value={props.values?.url} required maxLength={2000} hint="Where to POST events, e.g. https://example.com/hooks/broadsheet. A secret for verifying signatures is generated for it." />
          <EventCheckboxes checked={props.values?.events ?? WEBHOOK_EVENTS} errors={errors} />
          <input type="hidden" name="active" value="1" />
          <button type="submit" class="button-primary">
            Add webhook
          </button>
        </PostForm>
      </section>
      <section class="webhook-section" aria-labelledby="log-heading">
        <h2 id="log-heading">Recent deliveries</h2>
        <DeliveryLog deliveries={props.deliveries} formatTime={props.formatTime} csrfToken={frame.csrfToken} showUrl />
      </section>
    </AdminLayout>
  );
}
