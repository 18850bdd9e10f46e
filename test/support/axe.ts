/** axe-core (through @axe-core/playwright) at WCAG 2.2 AA on a page open in headless Chromium, with readable results. */
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
