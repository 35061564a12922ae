/**
 * The checks every staff page must pass in a browser: axe-core with the WCAG 2.2 AA rules and
 * no serious or critical violation, and no sideways scroll at a phone's width.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The serious and critical violations on the page as it is now, as readable lines. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether the page is wider than the viewport (at 360 px, a phone). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1')) as boolean;
}

/** Presses Tab from the top of the page until the element with this id has focus; whether it got there with a visible focus ring. */
export async function tabReaches(page: Page, id: string, maxTabs = 80): Promise<{ reached: boolean; focusVisible: boolean }> {
  await page.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
  await page.locator('body').focus();
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(
      `(() => { const el = document.activeElement; return { id: el && el.id, visible: !!el && el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none' }; })()`,
    )) as { id: string; visible: boolean };
    if (focused.id === id) return { reached: true, focusVisible: focused.visible };
  }
  return { reached: false, focusVisible: false };
}
