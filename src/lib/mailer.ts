/** Outgoing mail through nodemailer: SMTP when SMTP_URL is set, otherwise each message is written to the log (development). */
import type { FastifyBaseLogger } from 'fastify';
import type { Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text body (UTF-8). */
  text: string;
  /** Extra header fields, e.g. `List-Unsubscribe` (values must be single-line; nodemailer encodes them). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Sends one message; rejects when the SMTP server refuses it or cannot be reached. */
  send(message: MailMessage): Promise<void>;
}

/** A Mailer for `smtpUrl` (nodemailer URL syntax), or a log-only mailer when it is undefined. */
export function createMailer(options: { smtpUrl: string | undefined; from: string; log: Pick<FastifyBaseLogger, 'info'> }): Mailer {
  if (!options.smtpUrl) {
    return {
      async send(message) {
        options.log.info({ mail: { to: message.to, subject: message.subject, text: message.text, headers: message.headers } }, 'mail not sent (SMTP_URL unset); written to the log instead');
      },
    };
  }
  const smtpUrl = options.smtpUrl;
  // nodemailer (about 80 ms of CPU and 4 MB to load) is loaded at the first message, not at every start.
  let transport: Promise<Transporter> | undefined;
  return {
    async send(message) {
      transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
      await (await transport).sendMail({ from: options.from, ...message });
    },
  };
}
