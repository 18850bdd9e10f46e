/** Screenshots a page in headless Chromium: `npx tsx scripts/screenshot.ts URL OUT.png [WIDTH] [--full] [--dark]`. */
import { launchBrowser } from '../test/support/browser.ts';

const [url, out, width = '1280', ...flags] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: tsx scripts/screenshot.ts URL OUT.png [WIDTH] [--full] [--dark]');
  process.exit(2);
}
const browser = await launchBrowser({ width: Number(width), colorScheme: flags.includes('--dark') ? 'dark' : 'light' });
const page = await browser.context.newPage();
await page.goto(url);
await page.screenshot({ path: out, fullPage: flags.includes('--full') });
await browser.close();
