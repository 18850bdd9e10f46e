/** /admin/webhooks/:id: one webhook's settings and secret, "send test", delete, and its delivery log. */
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { ErrorSummary, Field, PostForm, type FieldErrors } from '../../../web/views/form.tsx';
import type { DeliveryListRow } from '../store.ts';
import { DeliveryLog, EventCheckboxes, type FormatTime } from './webhook-parts.tsx';
import { WEBHOOK_FIELD_LABELS, type WebhookSummary } from './webhooks-page.tsx';

/** One webhook: its secret, its settings form (as typed after a refusal), test and delete buttons, its deliveries. */
export function WebhookPage(props: {
  frame: AdminFrame;
  webhook: WebhookSummary & { secret: string; createdAt: string };
  deliveries: DeliveryListRow[];
  values?: { url: string; events: string[]; active: boolean };
  errors: FieldErrors;
  notice?: string;
  formatTime: FormatTime;
}) {
  const { frame, webhook, errors } = props;
  const values = props.values ?? webhook;
  return (
    <AdminLayout frame={frame} title={`Webhook ${webhook.url}`}>
      <p>
        <a href="/admin/webhooks">All webhooks</a>
      </p>
      <h1>Webhook</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <section class="admin-panel" aria-labelledby="secret-heading">
        <h2 id="secret-heading">Signing secret</h2>
        <p>
          Every request carries <code>X-Broadsheet-Signature: sha256=…</code>, the HMAC-SHA256 of the request body with this secret (hex). Give it to the receiver
          and keep it private.
        </p>
        <p>
          <code class="webhook-secret">{webhook.secret}</code>
        </p>
      </section>
      <section class="admin-panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <ErrorSummary errors={errors} labels={WEBHOOK_FIELD_LABELS} />
        <PostForm action={`/admin/webhooks/${webhook.id}`} csrfToken={frame.csrfToken}>
          <Field name="url" label="URL" type="url" errors={errors} value={values.url} required maxLength={2000} />
          <EventCheckboxes checked={values.events} errors={errors} />
          <div class="field checkbox-field">
            <div class="checkbox">
              <input id="active" name="active" type="checkbox" value="1" checked={values.active} aria-describedby="active-hint" />
              <label for="active">Active</label>
            </div>
            <p class="field-hint" id="active-hint">
              A disabled webhook gets no new events; its pending deliveries wait until it is active again.
            </p>
          </div>
          <div class="field checkbox-field">
            <div class="checkbox">
              <input id="new_secret" name="new_secret" type="checkbox" value="1" aria-describedby="new_secret-hint" />
              <label for="new_secret">Generate a new secret</label>
            </div>
            <p class="field-hint" id="new_secret-hint">
              The old secret stops working at once: update the receiver too.
            </p>
          </div>
          <button type="submit" class="button-primary">
            Save webhook
          </button>
        </PostForm>
      </section>
      <div class="webhook-actions">
        <PostForm action={`/admin/webhooks/${webhook.id}/test`} csrfToken={frame.csrfToken} className="row-form">
          <button type="submit" class="button-secondary">
            Send test
          </button>
        </PostForm>
        <PostForm action={`/admin/webhooks/${webhook.id}/delete`} csrfToken={frame.csrfToken} className="row-form">
          <button type="submit" class="button-link danger">
            Delete webhook and its delivery log
          </button>
        </PostForm>
      </div>
      <section class="webhook-section" aria-labelledby="log-heading">
        <h2 id="log-heading">Deliveries</h2>
        <DeliveryLog deliveries={props.deliveries} formatTime={props.formatTime} csrfToken={frame.csrfToken} />
      </section>
    </AdminLayout>
  );
}
