// Accessibility checks for the e2e run: axe-core over the page as it is
// now, failing on serious or critical violations (WCAG 2.1 A and AA rules).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';

const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe over page and writes the whole result to
 * <artifacts>/e2e-<scenario>-<step>-axe.json. Returns one line per blocking
 * violation ("rule (impact): help — selector, …"); empty when there is none.
 */
export async function axeViolations(page, artifacts, scenario, step) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  writeFileSync(
    path.join(artifacts, `e2e-${scenario}-${step}-axe.json`),
    JSON.stringify({ violations: result.violations, passes: result.passes.length }, null, 2),
  );
  return result.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => {
      const where = v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ');
      return `${step}: ${v.id} (${v.impact}): ${v.help} — ${where}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`;
    });
}
