import { expect, test } from "./fixtures";
import { SEED_POST, SEED_TITLE } from "./pages/post-page";
import type { Page } from "@playwright/test";

// Links are followed with a script's click where the test must not move the page first
// (Playwright's own click scrolls the link into view, which is a move of its own).
async function clickLink(page: Page, href: string) {
  await page.evaluate((href) => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>("a[href]")].find(
      (link) => link.getAttribute("href") === href,
    );
    if (!link) throw new Error(`no link to ${href}`);
    link.click();
  }, href);
}

const scrollY = (page: Page) => page.evaluate(() => Math.round(window.scrollY));

/** Marks the document, so a test can tell a swap in place from a full page load. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
}
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere === true);

test.describe("moving between pages with JavaScript", () => {
  for (const width of [390, 1280]) {
    test(`Back and Forward return to where the reader was (${width} px)`, async ({ site, page }) => {
      await page.setViewportSize({ width, height: 800 });
      await site.open(SEED_POST);
      await markDocument(page);
      // Long enough to scroll that far at this width, or the test would prove nothing.
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(1400 + 800);
      await page.evaluate(() => window.scrollTo(0, 1400));
      await expect.poll(() => scrollY(page)).toBe(1400);

      await clickLink(page, "/take-action");
      await expect(site.heading).toHaveText(/Call to Action/);
      await expect.poll(() => scrollY(page), { message: "a new page starts at its top" }).toBe(0);
      await expect(site.main).toBeFocused();
      await page.evaluate(() => window.scrollTo(0, 600));
      await expect.poll(() => scrollY(page)).toBe(600);

      await page.goBack();
      await expect(site.heading).toHaveText(SEED_TITLE);
      await expect.poll(() => scrollY(page)).toBeGreaterThanOrEqual(1390);
      expect(await scrollY(page)).toBeLessThanOrEqual(1410);
      await expect(site.main, "Back moves no focus").not.toBeFocused();

      await page.goForward();
      await expect(site.heading).toHaveText(/Call to Action/);
      await expect.poll(() => scrollY(page)).toBeGreaterThanOrEqual(590);
      expect(await scrollY(page)).toBeLessThanOrEqual(610);
      expect(await sameDocument(page), "every move was a swap in place").toBe(true);
    });
  }

  test("of two quick clicks the second wins, even over a slow first that fails", async ({ site, page }) => {
    await site.open("/");
    await markDocument(page);
    let failed!: () => void;
    const firstFailed = new Promise<void>((resolve) => (failed = resolve));
    await page.route("**/news", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.abort("failed");
      failed();
    });
    await clickLink(page, "/news");
    await clickLink(page, "/take-action");
    await expect(site.heading).toHaveText(/Call to Action/);
    // Once the first fetch has failed it must not send the browser to /news. A navigation
    // it started would commit within moments of the failure: look half a second after it.
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    await firstFailed;
    await page.waitForTimeout(500);
    expect(navigations.filter((url) => new URL(url).pathname === "/news")).toEqual([]);
    await expect(site.heading).toHaveText(/Call to Action/);
    expect(new URL(page.url()).pathname).toBe("/take-action");
    expect(await sameDocument(page)).toBe(true);
  });

  test("a link hovered is fetched once ahead, and its click fetches nothing more", async ({ site, page }) => {
    await site.open("/");
    const fetched: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/members") fetched.push(request.url());
    });
    const members = site.nav.getByRole("link", { name: "Members" });
    await members.hover();
    await expect.poll(() => fetched.length).toBe(1);
    await page.mouse.move(0, 0);
    await members.hover();
    await page.waitForTimeout(300);
    expect(fetched, "hovered twice, fetched once").toHaveLength(1);

    await members.click();
    await expect(site.heading).toHaveText("Members");
    expect(fetched, "the click used what was fetched").toHaveLength(1);
  });

  test("a page fetched ahead that answers with an error is not kept: the click asks again", async ({ site, page, consoleErrors }) => {
    await site.open("/");
    const fetched: number[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname === "/news/no-such-post") fetched.push(response.status());
    });
    await page.evaluate(() => {
      const link = Object.assign(document.createElement("a"), { href: "/news/no-such-post", textContent: "Gone" });
      document.querySelector("main")!.prepend(link);
    });
    const link = page.locator('main a[href="/news/no-such-post"]');
    await link.hover();
    await expect.poll(() => fetched).toEqual([404]);
    await link.click();
    // The browser's own navigation shows the error page, from a fetch of its own.
    await expect(site.heading).toHaveText("We could not find that page");
    expect(fetched.length).toBeGreaterThanOrEqual(2);
    // The browser logs each 404 it was answered, which is what this test asks for.
    expect(consoleErrors.every((error) => error.includes("404"))).toBe(true);
    consoleErrors.length = 0;
  });

  test("links to confirmation and thanks pages are never fetched ahead", async ({ site, page }) => {
    await site.open("/");
    const fetched: string[] = [];
    page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    await page.evaluate(() => {
      for (const href of ["/take-action/thanks", "/donate/thanks/SS-0000-0000"]) {
        const link = Object.assign(document.createElement("a"), { href, textContent: href });
        document.querySelector("main")!.prepend(link);
      }
    });
    for (const href of ["/take-action/thanks", "/donate/thanks/SS-0000-0000"]) {
      await page.locator(`main a[href="${href}"]`).hover();
    }
    await page.waitForTimeout(300);
    expect(fetched.filter((path) => path.includes("/thanks"))).toEqual([]);
  });

  test("a slow page shows the progress bar, a fast one never does, and the new title is announced", async ({ site, page }) => {
    await site.open("/");
    await page.evaluate(() => {
      const seen = window as unknown as { barShown: boolean };
      seen.barShown = false;
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLElement>(".nav-progress");
        if (bar && !bar.hidden) seen.barShown = true;
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await clickLink(page, "/news");
    await expect(site.heading).toHaveText("News");
    expect(await page.evaluate(() => (window as unknown as { barShown: boolean }).barShown)).toBe(false);
    await expect(page.locator(".nav-progress + [aria-live=polite]")).toHaveText(await page.title());

    await page.route("**/members", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await clickLink(page, "/members");
    await expect(page.locator(".nav-progress")).toBeVisible();
    await expect(site.heading).toHaveText("Members");
    await expect(page.locator(".nav-progress")).toBeHidden();
    await expect(page.locator(".nav-progress + [aria-live=polite]")).toHaveText(await page.title());
  });

  test("a link to a fragment of another page lands on it", async ({ site, page }) => {
    await site.open("/");
    await markDocument(page);
    await page.evaluate(() => {
      const link = Object.assign(document.createElement("a"), {
        href: "/take-action#signup-country",
        textContent: "Where you are",
      });
      document.querySelector("main")!.prepend(link);
    });
    await clickLink(page, "/take-action#signup-country");
    await expect(site.heading).toHaveText(/Call to Action/);
    expect(new URL(page.url()).hash).toBe("#signup-country");
    // In view (at the top, or as near it as the end of the page allows), far below the top.
    await expect(page.locator("#signup-country")).toBeInViewport();
    expect(await scrollY(page)).toBeGreaterThan(200);
    expect(await sameDocument(page)).toBe(true);
  });

  test("the search form swaps its results in without a new page", async ({ site, page }) => {
    await site.open("/search");
    await markDocument(page);
    await page.getByLabel("Words to look for").fill("migration");
    await page.getByLabel("Words to look for").press("Enter");
    await expect(page).toHaveURL(/\/search\?q=migration$/);
    await expect(page.locator(".search-summary")).toContainText("contains all of: migration");
    expect(await sameDocument(page)).toBe(true);
  });

  test("a link to the page in view adds no history entry", async ({ site, page }) => {
    await site.open("/news");
    const before = await page.evaluate(() => history.length);
    for (let i = 0; i < 3; i++) {
      await clickLink(page, "/news");
      await expect(site.main).toBeFocused();
    }
    expect(await page.evaluate(() => history.length)).toBe(before);
  });
});
