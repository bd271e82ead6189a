import { expect, type Page } from "@playwright/test";

/** What Cumulative Layout Shift adds up since the page started loading, and what moved. */
type Shift = { score: number; moved: string[] };

/**
 * Reads the page's layout-shift entries (buffered, so from its first paint on) after a short
 * quiet spell, naming each element that moved and where it went, so a failure says what to fix.
 */
async function layoutShift(page: Page): Promise<Shift> {
  return page.evaluate(
    () =>
      new Promise<Shift>((resolve) => {
        const shift: Shift = { score: 0, moved: [] };
        type Source = { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly };
        type Entry = PerformanceEntry & { value: number; sources: Source[] };
        const describe = (node: Node | undefined) => {
          if (!(node instanceof Element)) return node?.nodeName ?? "(gone)";
          const label = node.getAttribute("aria-label") ?? node.textContent?.trim().slice(0, 30);
          return `<${node.localName}${node.className ? ` class="${node.className}"` : ""}> ${label ?? ""}`;
        };
        const rect = (r: DOMRectReadOnly) => `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}×${Math.round(r.height)}`;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Entry[]) {
            shift.score += entry.value;
            for (const source of entry.sources) {
              shift.moved.push(`${describe(source.node)}: ${rect(source.previousRect)} → ${rect(source.currentRect)}`);
            }
          }
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => resolve(shift), 300);
      }),
  );
}

/** Fails, naming what moved, if anything on the page has shifted since it started loading. */
export async function expectNoLayoutShift(page: Page, what: string) {
  const shift = await layoutShift(page);
  expect(shift.score, `${what} moved: ${shift.moved.join("; ")}`).toBe(0);
}
