/**
 * `<script>` elements that carry the response's Content-Security-Policy nonce (web/security-headers.ts): every script
 * of a page, external or a data block, is written with `<Script>` so the browser runs it under the strict CSP.
 */
import type { JSX } from 'preact';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The script nonce of the response being rendered (set by web/render.ts `sendPage`); undefined outside a request. */
export const CspNonce = createContext<string | undefined>(undefined);

export function Script(props: JSX.ScriptHTMLAttributes<HTMLScriptElement>) {
  const nonce = useContext(CspNonce);
  return <script {...props} nonce={nonce} />;
}
