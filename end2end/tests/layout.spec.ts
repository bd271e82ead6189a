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

test("the banner appearing shifts nothing on the page", async ({ site, banner, page }) => {
  await page.goto(SEED_POST);
  const before = await site.heading.boundingBox();
  await site.waitForHydration();
  await expect(banner.region).toBeVisible();
  const after = await site.heading.boundingBox();
  expect(after).toEqual(before);
  await expect(banner.region).toHaveCSS("position", "fixed");
});
