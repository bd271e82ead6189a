import { collectErrors, expect, test } from "./fixtures";
import {
  ConsentBanner,
  expectFocusInside,
  POLICY_VERSION,
  Preferences,
  RequestLog,
  STORAGE_KEY,
} from "./pages/consent-banner";
import { TEST_VIDEO } from "./pages/database";
import { expectNoLayoutShift } from "./pages/layout-shift";
import { staff } from "./pages/donation-form";
import { SEED_POST } from "./pages/post-page";
import type { Page } from "@playwright/test";

const VIDEO_FRAME = `https://www.youtube-nocookie.com/embed/${TEST_VIDEO}`;
const DAY = 24 * 60 * 60 * 1000;

/** Answers the video host locally, so a loaded frame is seen in the log without the internet. */
async function fakeVideoHost(page: Page) {
  await page.route("https://www.youtube-nocookie.com/**", (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>video</title><p>video</p>" }),
  );
}

function log(page: Page, baseURL: string | undefined) {
  return new RequestLog(page, baseURL ?? "http://127.0.0.1:3000");
}

/** Today's count for `path`, from the staff export of the site's database. */
function viewsToday(path: string): number {
  const today = new Date().toISOString().slice(0, 10);
  const row = staff("export", "page-views")
    .trim()
    .split("\n")
    .map((line) => line.split(","))
    .find(([day, counted]) => day === today && counted === path);
  return row ? Number(row[2]) : 0;
}

test.describe("the cookie banner", () => {
  test("appears after hydration, says truly what the site does, and offers three equal choices", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
    await expect(banner.region).toContainText("This site sets no cookies.");
    await expect(banner.region).toContainText("count page views without knowing who you are");
    await expect(banner.region).toContainText("videos and maps from other sites");
    // The old site's notice describes tracking this site does not do: not in the first layer…
    await expect(banner.region).not.toContainText("identify you on future visits");
    await expect(banner.region.getByRole("link", { name: "Cookie policy" })).toHaveAttribute("href", "/cookies");
    // …but one step away, word for word, in the settings.
    await banner.settings.click();
    const dialog = page.getByRole("dialog", { name: "Cookie settings" });
    await dialog.getByText("Basic information on cookies").click();
    await expect(dialog).toContainText(
      "Cookies are used to keep a log of your activities on our website, in order to identify you on future visits and configure the content based on your browsing habits, identity and preferences.",
    );
    await expect(dialog).toContainText('See the "COOKIES POLICY" section on our website for further details.');
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(banner.reason).toHaveCount(0);

    // Equal weight: the three first-layer buttons have the same size and style.
    const buttons = [banner.acceptAll, banner.rejectAll, banner.settings];
    const boxes = await Promise.all(buttons.map((b) => b.boundingBox()));
    const classes = await Promise.all(buttons.map((b) => b.getAttribute("class")));
    expect(new Set(classes).size).toBe(1);
    expect(new Set(boxes.map((b) => Math.round(b?.height ?? 0))).size).toBe(1);
    expect(await banner.stored()).toBeNull();
  });

  test("keeps an accept across reloads and sends its proof", async ({ site, banner, page, baseURL }) => {
    const requests = log(page, baseURL);
    await site.open(SEED_POST);
    await banner.acceptAll.click();
    await expect(banner.region).toBeHidden();

    const record = await banner.stored();
    expect(record?.version).toBe(POLICY_VERSION);
    expect(record?.choices).toEqual({ analytics: true, external_media: true });
    expect(record?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.now() - Date.parse(record?.decided_at ?? "")).toBeLessThan(60_000);

    // The proof the server keeps is this very record, and nothing else about the visitor.
    await expect.poll(() => requests.proofs()).toEqual([record]);
    await expect.poll(() => staff("export", "consents")).toContain(
      `${record?.id},${POLICY_VERSION},true,true,${record?.decided_at},`,
    );

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

  test("asks again, saying what changed, when the choice answered an older policy", async ({ site, banner }) => {
    await banner.storeBeforeLoad({ version: POLICY_VERSION - 1, decided_at: new Date().toISOString() });
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
    await expect(banner.reason).toContainText("Our cookie policy has changed since you chose:");
    await expect(banner.reason).toContainText("keep a copy of each choice on our server");
  });

  test("asks again once an accept is 12 months old", async ({ site, banner }) => {
    await banner.storeBeforeLoad({ decided_at: new Date(Date.now() - 366 * DAY).toISOString() });
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
    await expect(banner.reason).toHaveText("It has been a while since you chose, so we ask again.");
  });

  test("asks again once a reject is 6 months old, but not before", async ({ site, banner, page }) => {
    await banner.storeBeforeLoad({
      choices: { analytics: false, external_media: false },
      decided_at: new Date(Date.now() - 184 * DAY).toISOString(),
    });
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();

    const fresh = await page.context().newPage();
    const freshBanner = new ConsentBanner(fresh);
    await freshBanner.storeBeforeLoad({
      choices: { analytics: false, external_media: false },
      decided_at: new Date(Date.now() - 150 * DAY).toISOString(),
    });
    await fresh.goto(SEED_POST);
    await expect(fresh.locator('main[data-hydrated="true"]')).toBeAttached();
    await expect(freshBanner.region).toBeHidden();
    await fresh.close();
  });

  test("treats garbage in storage as no choice", async ({ site, banner, page }) => {
    for (const garbage of ["{not json", "null", '{"version":2}', JSON.stringify({ version: 2, choices: { analytics: true, external_media: true, ads: true }, decided_at: new Date().toISOString(), id: "x" })]) {
      await page.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [STORAGE_KEY, garbage] as const);
      await site.open(SEED_POST);
      await expect(banner.region, garbage).toBeVisible();
    }
  });

  test("does not move the page when it appears: CLS 0", async ({ site, banner, page }) => {
    for (const path of [SEED_POST, "/cookies", "/"]) {
      await site.open(path);
      await expect(banner.region).toBeVisible();
      await expectNoLayoutShift(page, path);
    }
  });

  test("nor does a stored choice filling in the cookie policy, on a small screen", async ({ site, banner, page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await banner.storeBeforeLoad({ decided_at: new Date().toISOString() });
    await site.open("/cookies");
    await expect(page.locator(".consent-current")).toContainText("0f8fad5b-d9cb-469f-a165-70867728950e");
    await expect(page.getByRole("switch", { name: "Analytics" })).toBeChecked();
    await expectNoLayoutShift(page, "/cookies");
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

test.describe("the preferences dialog", () => {
  test("opens from the banner with every switch off, and saves what is switched on", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.settings.click();
    const dialog = new Preferences(page);
    await expect(dialog.root).toBeVisible();
    await expectFocusInside(dialog.root);
    await expect(dialog.necessary).toBeChecked();
    await expect(dialog.necessary).toBeDisabled();
    await expect(dialog.analytics).not.toBeChecked();
    await expect(dialog.externalMedia).not.toBeChecked();

    await dialog.externalMedia.check();
    await dialog.save.click();
    await expect(dialog.root).toBeHidden();
    await expect(banner.region).toBeHidden();
    expect((await banner.stored())?.choices).toEqual({ analytics: false, external_media: true });
  });

  test("opens from the footer showing the choice in force, and returns focus there", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.acceptAll.click();
    await site.cookieSettings.click();
    const dialog = new Preferences(page);
    await expect(dialog.root).toBeVisible();
    await expect(dialog.analytics).toBeChecked();
    await expect(dialog.externalMedia).toBeChecked();

    await dialog.rejectAll.click();
    await expect(dialog.root).toBeHidden();
    await expect(site.cookieSettings).toBeFocused();
    expect((await banner.stored())?.choices).toEqual({ analytics: false, external_media: false });
  });

  test("closes on Escape without changing the choice, focus back on its opener", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.rejectAll.click();
    const before = await banner.stored();
    await site.cookieSettings.click();
    const dialog = new Preferences(page);
    await dialog.analytics.check();
    await page.keyboard.press("Escape");
    await expect(dialog.root).toBeHidden();
    await expect(site.cookieSettings).toBeFocused();
    expect(await banner.stored()).toEqual(before);
  });

  test("can be used with the keyboard alone, banner first", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
    // After the skip link the banner comes first in the tab order: its policy link, then its
    // three choices.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(banner.region.getByRole("link", { name: "Cookie policy" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(banner.acceptAll).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(banner.rejectAll).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(banner.settings).toBeFocused();
    await page.keyboard.press("Enter");

    const dialog = new Preferences(page);
    await expect(dialog.root).toBeVisible();
    await expectFocusInside(dialog.root);
    // Tab never reaches the page behind, which is inert (past the last control the browser
    // may offer its own toolbar, as native modal dialogs do, then the dialog again).
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press("Tab");
      const outside = await dialog.root.evaluate((element) => {
        const active = document.activeElement;
        return active !== null && active !== document.body && !element.contains(active);
      });
      expect(outside, `Tab ${i + 1} left the dialog`).toBe(false);
    }
    await dialog.analytics.focus();
    await page.keyboard.press("Space");
    await expect(dialog.analytics).toBeChecked();
    await page.keyboard.press("Escape");
    await expect(dialog.root).toBeHidden();
    await expect(banner.settings).toBeFocused();
    expect(await banner.stored()).toBeNull();

    await page.keyboard.press("Enter");
    await expect(dialog.root).toBeVisible();
    await dialog.externalMedia.focus();
    await page.keyboard.press("Space");
    await dialog.save.focus();
    await page.keyboard.press("Enter");
    await expect(dialog.root).toBeHidden();
    await expect(banner.region).toBeHidden();
    expect((await banner.stored())?.choices).toEqual({ analytics: false, external_media: true });
    // Focus goes on with the page, not lost to the top of the document.
    await expect(site.main).toBeFocused();
  });
});

test.describe("nothing optional runs before consent", () => {
  test("no page-view request and nothing from another site, before a choice and after Reject all", async ({ site, banner, page, baseURL }) => {
    const requests = log(page, baseURL);
    await fakeVideoHost(page);
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
    await expect(page.getByRole("button", { name: "Load this video" })).toBeVisible();
    await site.navigateTo("News");
    await expect(site.heading).toHaveText("News");
    await site.navigateTo("Take action");
    await expect(site.heading).toBeVisible();

    await banner.rejectAll.click();
    await site.open(SEED_POST);
    await site.navigateTo("News");
    await expect(site.heading).toHaveText("News");
    await site.open("/cookies");
    await page.waitForLoadState("networkidle");

    expect(requests.pageViews()).toEqual([]);
    expect(requests.thirdParty()).toEqual([]);
    await expect(page.locator("iframe")).toHaveCount(0);
  });

  test("after Accept all, each page opened is counted once; withdrawing stops counting and unloads media at once", async ({ site, banner, page, baseURL }) => {
    const requests = log(page, baseURL);
    await fakeVideoHost(page);
    const member = "/members/wim-kok";
    const before = viewsToday(member);

    await site.open(member);
    await banner.acceptAll.click();
    await expect.poll(() => requests.pageViews()).toEqual([member]);
    await expect.poll(() => viewsToday(member)).toBe(before + 1);

    // In-app navigation counts too, and opening the post loads its video straight away.
    await page.getByRole("link", { name: /A call to action to build shared societies/ }).first().click();
    await expect(page.locator(`iframe[src="${VIDEO_FRAME}"]`)).toBeVisible();
    await expect.poll(() => requests.pageViews()).toEqual([member, SEED_POST]);
    // A lazy frame's request can follow its showing by a moment.
    await expect.poll(() => requests.thirdParty()).toEqual([VIDEO_FRAME]);

    // Withdraw from the footer: the frame goes at once, and the next page is not counted.
    await site.cookieSettings.click();
    const dialog = new Preferences(page);
    await dialog.analytics.uncheck();
    await dialog.externalMedia.uncheck();
    await dialog.save.click();
    await expect(page.locator("iframe")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Load this video" })).toBeVisible();
    await site.navigateTo("News");
    await expect(site.heading).toHaveText("News");
    await page.waitForLoadState("networkidle");
    expect(requests.pageViews()).toEqual([member, SEED_POST]);
    expect(requests.thirdParty()).toEqual([VIDEO_FRAME]);
  });
});

test.describe("media from other sites", () => {
  test("a click loads just that video, with a link to it elsewhere; a reject unloads it", async ({ site, banner, page, baseURL }) => {
    const requests = log(page, baseURL);
    await fakeVideoHost(page);
    await site.open(SEED_POST);
    await banner.rejectAll.click();
    const figure = page.locator("figure.embed");
    await expect(figure).toContainText("This video is hosted by YouTube. Loading it sends your IP address to Google");
    await expect(figure.getByRole("link", { name: /View on YouTube/ })).toHaveAttribute(
      "href",
      `https://www.youtube.com/watch?v=${TEST_VIDEO}`,
    );
    const size = async () => {
      const box = await figure.locator(".embed-frame").boundingBox();
      return { width: box?.width, height: box?.height };
    };
    const before = await size();

    await figure.getByRole("button", { name: "Load this video" }).click();
    const frame = figure.locator("iframe");
    await expect(frame).toHaveAttribute("src", VIDEO_FRAME);
    await expect(frame).toHaveAttribute("title", "A test video");
    await expect(frame).toBeFocused();
    expect(await size(), "the frame takes the placeholder's place exactly").toEqual(before);
    expect(requests.thirdParty()).toEqual([VIDEO_FRAME]);
    // One click is not a choice: nothing stored changed.
    expect((await banner.stored())?.choices.external_media).toBe(false);

    await site.cookieSettings.click();
    await new Preferences(page).rejectAll.click();
    await expect(frame).toHaveCount(0);
  });

  test("'Always allow external media' is a choice, recorded and kept", async ({ site, banner, page }) => {
    await fakeVideoHost(page);
    await site.open(SEED_POST);
    await page.getByRole("button", { name: "Always allow external media" }).click();
    await expect(page.locator(`iframe[src="${VIDEO_FRAME}"]`)).toBeVisible();
    await expect(banner.region).toBeHidden();
    expect((await banner.stored())?.choices).toEqual({ analytics: false, external_media: true });
    await page.reload();
    await site.waitForHydration();
    await expect(page.locator(`iframe[src="${VIDEO_FRAME}"]`)).toBeVisible();
  });
});

test.describe("the cookie policy", () => {
  test("lists what is stored and carries the same preferences", async ({ site, banner, page }) => {
    await site.open("/cookies");
    await expect(site.heading).toHaveText("Cookies policy");
    for (const heading of ["Necessary (always on)", "Analytics", "External media"]) {
      await expect(page.getByRole("heading", { level: 3, name: heading })).toBeVisible();
    }
    await expect(page.getByRole("rowheader", { name: STORAGE_KEY })).toBeVisible();

    const form = new Preferences(page, page.locator("#cookies-change").locator(".."));
    const status = page.locator(".consent-current");
    const row = (name: string) => status.locator("div", { has: page.getByRole("term").filter({ hasText: name }) }).getByRole("definition");
    await expect(row("Analytics")).toHaveText("not allowed");
    await expect(row("Made")).toHaveText("no choice made yet");
    await form.analytics.check();
    await form.save.click();
    await expect(banner.region).toBeHidden();
    const record = await banner.stored();
    await expect(row("Analytics")).toHaveText("allowed");
    await expect(row("External media")).toHaveText("not allowed");
    await expect(row("Record")).toHaveText(record?.id ?? "missing");

    // A change from the footer shows here at once.
    await site.cookieSettings.click();
    await new Preferences(page).acceptAll.click();
    await expect(form.externalMedia).toBeChecked();
    await expect(row("External media")).toHaveText("allowed");
  });

  test("is one link away from the dialog, which closes on the way", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.settings.click();
    const dialog = new Preferences(page);
    await dialog.root.getByRole("link", { name: "Read the cookie policy" }).click();
    await expect(site.heading).toHaveText("Cookies policy");
    await expect(dialog.root).toBeHidden();
  });

  test("closes from its Close button, focus back on its opener", async ({ site, banner, page }) => {
    await site.open("/cookies");
    await banner.rejectAll.click();
    await site.cookieSettings.click();
    await new Preferences(page).close.click();
    await expect(site.cookieSettings).toBeFocused();
  });
});
