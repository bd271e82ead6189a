import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { SEED_POST } from "./pages/post-page";

const PAGES = [
  "/",
  "/news",
  SEED_POST,
  "/members/wim-kok",
  "/resources/wim-kok-intervention",
  "/take-action",
  "/donate",
  "/cookies",
];

async function expectNoViolations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

test.describe("axe finds no violations", () => {
  for (const path of PAGES) {
    test(`on ${path}, with the cookie banner open`, async ({ site, banner, page }) => {
      await site.open(path);
      await expect(banner.region).toBeVisible();
      await expectNoViolations(page);
    });
  }

  test("on the 404 page", async ({ site, page, consoleErrors }) => {
    await page.goto("/no/such/page");
    await site.waitForHydration();
    await expectNoViolations(page);
    // The browser logs the document's own 404, which is what this page is.
    expect(consoleErrors).toEqual([expect.stringContaining("404")]);
    consoleErrors.length = 0;
  });

  test("in the banner's settings layer", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.settings.click();
    await expect(banner.saveChoices).toBeVisible();
    await expectNoViolations(page);
  });
});
