/** /admin/webhooks/deliveries/:id: one delivery — its payload as sent, every attempt, and "retry now". */
import type { WebhookDeliveryStatus } from '../../../db/schema.ts';
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { PostForm } from '../../../web/views/form.tsx';
import type { AttemptRow, DeliveryRow } from '../store.ts';
import { DeliveryStatus, nextStep, type FormatTime } from './webhook-parts.tsx';

/** The payload indented for reading (it is sent compact); shown as stored when it is not JSON. */
function readable(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** One delivery: summary, "retry now", its attempts newest first, and the payload as sent. */
export function DeliveryPage(props: { frame: AdminFrame; delivery: DeliveryRow & { url: string }; attempts: AttemptRow[]; notice?: string; formatTime: FormatTime }) {
  const { frame, delivery: d, formatTime } = props;
  const status: WebhookDeliveryStatus = d.status;
  return (
    <AdminLayout frame={frame} title={`Delivery #${d.id}`}>
      <p>
        <a href={`/admin/webhooks/${d.webhook_id}`}>Webhook {d.url}</a>
      </p>
      <h1>Delivery #{d.id}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <table class="admin-table delivery-summary">
        <tbody>
          <tr>
            <th scope="row">Event</th>
            <td>
              <code>{d.event}</code>
            </td>
          </tr>
          <tr>
            <th scope="row">Status</th>
            <td>
              <DeliveryStatus status={status} />
            </td>
          </tr>
          <tr>
            <th scope="row">Attempts</th>
            <td>{d.attempts}</td>
          </tr>
          <tr>
            <th scope="row">Next attempt</th>
            <td>{nextStep(d, formatTime)}</td>
          </tr>
          <tr>
            <th scope="row">Queued</th>
            <td>{formatTime(d.created_at)}</td>
          </tr>
        </tbody>
      </table>
      <div class="webhook-actions">
        <PostForm action={`/admin/webhooks/deliveries/${d.id}/retry`} csrfToken={frame.csrfToken} className="row-form">
          <button type="submit" class="button-secondary">
            {status === 'delivered' ? 'Send again now' : 'Retry now'}
          </button>
        </PostForm>
      </div>
      <h2>Attempts</h2>
      {props.attempts.length ? (
        <table class="admin-table history-table attempt-log">
          <caption class="visually-hidden">Attempts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Response</th>
              <th scope="col">Error</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {props.attempts.map((a) => (
              <tr>
                <td>{formatTime(a.attempted_at)}</td>
                <td class="attempt-status">{a.status_code ?? 'none'}</td>
                <td>{a.error || '—'}</td>
                <td>{a.duration_ms} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Not sent yet.</p>
      )}
      <h2 class="webhook-section">Payload</h2>
      <p class="field-hint">Sent exactly as stored (compact JSON), signed with the webhook's secret.</p>
      <pre class="webhook-payload">
        <code>{readable(d.payload)}</code>
      </pre>
    </AdminLayout>
  );
}
