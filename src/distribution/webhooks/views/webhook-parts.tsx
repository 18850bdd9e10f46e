/** Pieces shared by the webhook pages: the events checkboxes, a delivery's status, and the delivery log table. */
import type { WebhookDeliveryStatus } from '../../../db/schema.ts';
import { FieldMessage, PostForm, type FieldErrors } from '../../../web/views/form.tsx';
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS } from '../events.ts';
import type { DeliveryListRow } from '../store.ts';

export type FormatTime = (iso: string) => string;

/** The events fieldset: one checkbox per subscribable event. */
export function EventCheckboxes({ checked, errors }: { checked: readonly string[]; errors: FieldErrors }) {
  return (
    <fieldset class="field" id="events" aria-describedby={errors.events ? 'events-error' : undefined}>
      <legend>Events</legend>
      <FieldMessage name="events" errors={errors} />
      {WEBHOOK_EVENTS.map((event) => (
        <div class="field checkbox-field">
          <div class="checkbox">
            <input id={`event-${event.replace('.', '-')}`} name="events" type="checkbox" value={event} checked={checked.includes(event)} />
            <label for={`event-${event.replace('.', '-')}`}>
              <code>{event}</code> — {WEBHOOK_EVENT_LABELS[event]}
            </label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}

const STATUS_LABELS: Record<WebhookDeliveryStatus, string> = { pending: 'pending', delivered: 'delivered', failed: 'failed' };

/** A delivery's status as a badge (delivered in the published colour). */
export function DeliveryStatus({ status }: { status: WebhookDeliveryStatus }) {
  return <span class={`status delivery-${status}${status === 'delivered' ? ' status-published' : ''}`}>{STATUS_LABELS[status]}</span>;
}

/** The last response of a delivery: HTTP status and/or error text, shortened. */
export function lastResponse(row: { last_status_code: number | null; last_error: string; attempts: number }): string {
  if (!row.attempts) return 'not sent yet';
  const error = row.last_error.length > 140 ? `${row.last_error.slice(0, 140)}…` : row.last_error;
  return [row.last_status_code === null ? '' : String(row.last_status_code), error].filter(Boolean).join(' — ') || 'OK';
}

/** When the delivery goes next, or what became of it. */
export function nextStep(row: Pick<DeliveryListRow, 'status' | 'next_attempt_at' | 'delivered_at'>, formatTime: FormatTime): string {
  if (row.status === 'delivered') return row.delivered_at ? `delivered ${formatTime(row.delivered_at)}` : 'delivered';
  if (row.status === 'failed') return 'gave up';
  return row.next_attempt_at ? formatTime(row.next_attempt_at) : '—';
}

/** The delivery log, newest first; `showUrl` adds the webhook column (the log of every webhook). */
export function DeliveryLog({ deliveries, formatTime, csrfToken, showUrl }: { deliveries: DeliveryListRow[]; formatTime: FormatTime; csrfToken: string; showUrl?: boolean }) {
  if (!deliveries.length) return <p>No deliveries yet.</p>;
  return (
    <table class="admin-table delivery-log">
      <caption class="visually-hidden">Deliveries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Delivery</th>
          <th scope="col">Event</th>
          {showUrl ? <th scope="col">Webhook</th> : null}
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last response</th>
          <th scope="col">Next attempt</th>
          <th scope="col">Queued</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr data-delivery={String(d.id)}>
            <td>
              <a href={`/admin/webhooks/deliveries/${d.id}`}>#{d.id}</a>
            </td>
            <td>
              <code>{d.event}</code>
            </td>
            {showUrl ? (
              <td>
                <a href={`/admin/webhooks/${d.webhook_id}`}>{d.url}</a>
              </td>
            ) : null}
            <td>
              <DeliveryStatus status={d.status} />
            </td>
            <td class="delivery-attempts">{d.attempts}</td>
            <td class="delivery-response">{lastResponse(d)}</td>
            <td>{nextStep(d, formatTime)}</td>
            <td>{formatTime(d.created_at)}</td>
            <td>
              <PostForm action={`/admin/webhooks/deliveries/${d.id}/retry`} csrfToken={csrfToken} className="row-form">
                <button type="submit" class="button-link">
                  {d.status === 'delivered' ? 'Send again' : 'Retry now'}
                </button>
              </PostForm>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
