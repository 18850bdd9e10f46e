/** axe-core (through @axe-core/playwright) at WCAG 2.2 AA on a page open in headless Chromium, with readable results; the WCAG contrast ratio for the checks axe does not make. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

/** The axe rule tags of WCAG 2.0, 2.1 and 2.2 at levels A and AA (https://www.deque.com/axe/core-documentation/api-documentation/#axe-core-tags). */
export const WCAG_22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] as const;

export interface AxeFindings {
  violations: Result[];
  /** Rules that passed on at least one element, by id: proof that a rule really looked at the page. */
  passed: Set<string>;
  /** axe-core's version as it reported itself. */
  version: string;
}

/** Runs the WCAG 2.2 AA rules over the whole page (all frames) in its current state. */
export async function analyzeWcag(page: Page): Promise<AxeFindings> {
  const results = await new AxeBuilder({ page }).withTags([...WCAG_22_AA_TAGS]).analyze();
  return { violations: results.violations, passed: new Set(results.passes.map((r) => r.id)), version: results.testEngine.version };
}

/**
 * One block per violation: `rule-id (impact): help` then one line per element, `target selectors: failure summary`
 * (for contrast, axe's summary names the colours, font size and ratio found). Empty when there are none.
 */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `  ${n.target.map(String).join(' >>> ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').trim()}`);
      return [`${v.id} (${v.impact ?? 'no impact'}): ${v.help} [${v.helpUrl}]`, ...nodes].join('\n');
    })
    .join('\n');
}

/** sRGB channels 0-255 of a colour as browsers compute it: `rgb(r, g, b)` or `rgba(r, g, b, a)` (alpha ignored). */
function channels(color: string): [number, number, number] {
  const match = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  if (!match) throw new Error(`not an rgb() colour: ${color}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Relative luminance, 0-1 (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance). */
function luminance(color: string): number {
  const [r, g, b] = channels(color).map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * WCAG contrast ratio, 1 to 21, of two opaque colours in the form getComputedStyle gives (`rgb(24, 89, 201)`), as
 * for non-text contrast (1.4.11: 3:1) where axe has no rule, e.g. focus outlines. Throws on other syntaxes.
 */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
