import { expect, test } from "./fixtures";
import { SEED_POST } from "./pages/post-page";

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

test("the banner covers the page instead of pushing it", async ({ site, banner, page }) => {
  await site.open(SEED_POST);
  await expect(banner.region).toBeVisible();
  const withBanner = await page.evaluate(() => document.documentElement.scrollHeight);
  await banner.rejectAll.click();
  await expect(banner.region).toBeHidden();
  const withoutBanner = await page.evaluate(() => document.documentElement.scrollHeight);
  // A banner in the flow would make the document taller while it shows, and shrink it after.
  expect(withBanner).toBe(withoutBanner);
});
