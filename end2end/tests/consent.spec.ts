import { collectErrors, expect, test } from "./fixtures";
import { STORAGE_KEY } from "./pages/consent-banner";
import { SEED_POST } from "./pages/post-page";

test.describe("the cookie banner", () => {
  test("appears after hydration with the old site's text and three equal choices", async ({ site, banner }) => {
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
    await expect(banner.region).toContainText(
      "A cookie is a small information file that is stored in your browser every time you visit our website.",
    );
    await expect(banner.region).toContainText('See the "COOKIES POLICY" section on our website for further details.');
    await expect(banner.region.getByRole("link", { name: "COOKIES POLICY" })).toHaveAttribute("href", "/cookies");

    // Equal weight: the three first-layer buttons have the same size and style.
    const boxes = await Promise.all([banner.acceptAll, banner.rejectAll, banner.settings].map((b) => b.boundingBox()));
    const classes = await Promise.all(
      [banner.acceptAll, banner.rejectAll, banner.settings].map((b) => b.getAttribute("class")),
    );
    expect(new Set(classes).size).toBe(1);
    expect(new Set(boxes.map((b) => Math.round(b?.height ?? 0))).size).toBe(1);
    expect(await banner.stored()).toBeNull();
  });

  test("keeps an accept across reloads", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.acceptAll.click();
    await expect(banner.region).toBeHidden();

    const record = await banner.stored();
    expect(record?.version).toBe(1);
    expect(record?.choices).toEqual({ analytics: true, external_media: true });
    expect(record?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - Date.parse(record?.decided_at ?? "")).toBeLessThan(60_000);

    await page.reload();
    await site.waitForHydration();
    await expect(banner.region).toBeHidden();
    expect(await banner.stored()).toEqual(record);
  });

  test("keeps a reject across reloads", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.rejectAll.click();
    await expect(banner.region).toBeHidden();
    expect((await banner.stored())?.choices).toEqual({ analytics: false, external_media: false });

    await page.reload();
    await site.waitForHydration();
    await expect(banner.region).toBeHidden();
  });

  test("reopens from the footer, with settings off until switched on", async ({ site, banner }) => {
    await site.open(SEED_POST);
    await banner.rejectAll.click();
    await expect(banner.region).toBeHidden();

    await site.cookieSettings.click();
    await expect(banner.region).toBeVisible();
    await expect(banner.region.getByRole("heading", { name: "Basic information on cookies" })).toBeFocused();

    await banner.settings.click();
    await expect(banner.settings).toHaveAttribute("aria-expanded", "true");
    await expect(banner.analytics).not.toBeChecked();
    await expect(banner.externalMedia).not.toBeChecked();
    await banner.externalMedia.check();
    await banner.saveChoices.click();

    await expect(banner.region).toBeHidden();
    await expect(site.cookieSettings).toBeFocused();
    expect((await banner.stored())?.choices).toEqual({ analytics: false, external_media: true });
  });

  test("reopens from the cookie policy, returning focus there", async ({ site, banner, page }) => {
    await site.open("/cookies");
    await banner.acceptAll.click();
    const change = page.getByRole("button", { name: "Change my cookie choice" });
    await change.click();
    await expect(banner.region).toBeVisible();
    await banner.rejectAll.click();
    await expect(change).toBeFocused();
    expect((await banner.stored())?.choices).toEqual({ analytics: false, external_media: false });
  });

  test("treats garbage in storage as no choice", async ({ site, banner, page }) => {
    await page.addInitScript((key) => window.localStorage.setItem(key, "{not json"), STORAGE_KEY);
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
  });

  test("asks again when the stored choice is for another policy version", async ({ site, banner, page }) => {
    await page.addInitScript((key) => {
      const old = { version: 0, choices: { analytics: true, external_media: true }, decided_at: new Date().toISOString(), id: "x" };
      window.localStorage.setItem(key, JSON.stringify(old));
    }, STORAGE_KEY);
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
  });

  test("still works when the browser refuses storage", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    // What privacy modes and blocked contexts do: touching localStorage throws.
    await page.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
    });
    await page.goto(SEED_POST);
    await expect(page.locator('main[data-hydrated="true"]')).toBeAttached();
    const region = page.getByRole("region", { name: "Cookie consent" });
    await expect(region).toBeVisible();
    await region.getByRole("button", { name: "Accept all" }).click();
    await expect(region).toBeHidden();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "News" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("News");
    expect(errors).toEqual([]);
    await context.close();
  });
});
