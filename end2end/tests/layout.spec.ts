import { expect, test } from "./fixtures";
import { expectNoLayoutShift } from "./pages/layout-shift";
import { SEED_POST } from "./pages/post-page";
import { SITE_PAGES } from "./pages/site";
import { slowHtmlFront } from "./pages/slow-network";

for (const width of [320, 375, 1280]) {
  test(`the post fits a ${width} px wide screen`, async ({ site, page }) => {
    await page.setViewportSize({ width, height: 800 });
    await site.open(SEED_POST);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, "no horizontal scrolling").toBeLessThanOrEqual(0);
  });
}

// A query of one 600-character word is what a visitor can paste; the page repeats it.
const LONG_QUERY = `/search?q=${"x".repeat(600)}`;

for (const width of [320, 390, 1280]) {
  test(`no page scrolls sideways at ${width} px, a long search query included`, async ({ site, page }) => {
    await page.setViewportSize({ width, height: 844 });
    const wide: string[] = [];
    for (const path of [...SITE_PAGES, LONG_QUERY]) {
      await site.open(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (overflow > 0) wide.push(`${path.slice(0, 40)}: ${overflow} px too wide`);
    }
    expect(wide).toEqual([]);
  });
}

test("the banner moves nothing on the page, and keeps room for itself at the end", async ({ site, banner, page }) => {
  await site.open(SEED_POST);
  await expect(banner.region).toBeVisible();
  const places = () =>
    page.evaluate(() =>
      ["h1", "footer"].map((selector) => document.querySelector(selector)?.getBoundingClientRect().top),
    );
  const withBanner = await places();
  const tallerBy = await page.evaluate(() => document.documentElement.scrollHeight);
  const height = (await banner.region.boundingBox())?.height ?? 0;
  await banner.rejectAll.click();
  await expect(banner.region).toBeHidden();
  expect(await places()).toEqual(withBanner);
  const without = await page.evaluate(() => document.documentElement.scrollHeight);
  // The room it kept at the page's end goes with it.
  expect(Math.abs(tallerBy - without - height)).toBeLessThanOrEqual(1);
});

test("no page moves while a slow connection brings it in", async ({ site, page, baseURL }) => {
  test.setTimeout(90_000);
  const front = await slowHtmlFront(baseURL ?? "http://127.0.0.1:3000");
  try {
    for (const path of SITE_PAGES) {
      await page.goto(`${front.url}${path}`);
      await site.waitForHydration();
      await expectNoLayoutShift(page, path);
    }
  } finally {
    await front.close();
  }
});
