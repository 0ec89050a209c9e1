import type { Page } from 'playwright-core';

/** The seed article and the reference code every behaviour test follows. */
export const SEED_ARTICLE = '/manage/mobile-phone';
export const SEED_CODE = 'CID3006';
export const SEED_HEADING = 'Expired link – Reference CID3006';

export interface TargetState {
  tag: string;
  text: string;
  /** Distance from the top of the viewport, in CSS pixels. */
  top: number;
  background: string;
  pageBackground: string;
}

/** The element the URL's #fragment names (the CSS :target), as a reader would see it. */
export function targetState(page: Page): Promise<TargetState | undefined> {
  return page.evaluate(() => {
    const target = document.querySelector(':target');
    if (!target) return undefined;
    return {
      tag: target.tagName.toLowerCase(),
      text: (target.textContent ?? '').replace(/\s+/g, ' ').trim(),
      top: Math.round(target.getBoundingClientRect().top),
      background: getComputedStyle(target).backgroundColor,
      pageBackground: getComputedStyle(document.body).backgroundColor,
    };
  });
}

/** How far from the top a target heading may sit: its scroll margin plus a little. */
export const TOP_OF_VIEWPORT = 48;

/** Waits until the :target has been scrolled to the top of the viewport (or gives up quietly; the caller asserts). */
export async function settleOnTarget(page: Page): Promise<void> {
  await page
    .waitForFunction(
      (limit) => {
        const target = document.querySelector(':target');
        const top = target?.getBoundingClientRect().top;
        return top !== undefined && top >= 0 && top <= limit;
      },
      TOP_OF_VIEWPORT,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
}

/** Why the page scrolls sideways, naming the element that sticks out furthest; undefined if it does not. */
export async function horizontalOverflow(page: Page): Promise<string | undefined> {
  const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
    const root = document.documentElement;
    let widest = '';
    let right = root.clientWidth;
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > right + 1) {
        right = box.right;
        widest = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest };
  });
  return scrollWidth > clientWidth ? `page is ${scrollWidth}px wide in a ${clientWidth}px viewport (widest: ${widest})` : undefined;
}
