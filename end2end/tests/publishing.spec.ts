import { expect, test } from "./fixtures";
import { SEED_POST, SEED_TITLE } from "./pages/post-page";

test.describe("browsing the news", () => {
  test("from home to a tag, a post, a member and back, without reloading", async ({ site, banner, page }) => {
    await site.open("/");
    await banner.rejectAll.click();
    // Set once: a full page load would lose it, in-app navigation keeps it.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    const latest = page.getByRole("region", { name: "Latest news" });
    await latest.getByRole("list", { name: "Tags" }).getByRole("link", { name: "Migration" }).click();
    await expect(page).toHaveURL("/news/tag/migration");
    await expect(site.heading).toHaveText("Migration");
    await expect(page).toHaveTitle("News on Migration · Shared Societies");

    await page.getByRole("link", { name: SEED_TITLE }).click();
    await expect(page).toHaveURL(SEED_POST);
    await expect(site.heading).toHaveText(SEED_TITLE);
    await expect(page.locator(".post-header").getByRole("list", { name: "Tags" })).toHaveText(/Cities.*Leadership.*Migration/s);

    await page.getByRole("region", { name: "Related Members" }).getByRole("link", { name: "Wim Kok" }).click();
    await expect(page).toHaveURL("/members/wim-kok");
    await expect(site.heading).toHaveText("Wim Kok");
    await expect(page.getByRole("region", { name: "In the news" }).getByRole("link", { name: SEED_TITLE })).toBeVisible();

    await page.getByRole("link", { name: "All members" }).click();
    await expect(page).toHaveURL("/members");
    await expect(page.getByRole("link", { name: "Wim Kok" })).toBeVisible();

    await page.goBack();
    await expect(page).toHaveURL("/members/wim-kok");
    await page.goBack();
    await expect(site.heading).toHaveText(SEED_TITLE);
    await page.goBack();
    await expect(site.heading).toHaveText("Migration");
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  });

  test("a tag's feed link leaves the app for the feed itself", async ({ site, banner, page }) => {
    await site.open("/news/tag/migration");
    await banner.rejectAll.click();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/news/tag/migration/feed.xml")),
      page.getByRole("link", { name: "Follow Migration in your feed reader" }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/atom+xml");
    await expect(page).toHaveURL("/news/tag/migration/feed.xml");
  });

  test("the main navigation reaches news, members and search", async ({ site, banner, page }) => {
    await site.open("/");
    await banner.rejectAll.click();
    for (const [name, url, heading] of [
      ["News", "/news", "News"],
      ["Members", "/members", "Members"],
      ["Search", "/search", "Search the news"],
    ]) {
      await site.navigateTo(name);
      await expect(page).toHaveURL(url);
      await expect(site.heading).toHaveText(heading);
    }
  });

  test("an unknown tag or page number is a 404 page", async ({ site, page, consoleErrors }) => {
    const response = await page.goto("/news/tag/no-such-tag");
    expect(response?.status()).toBe(404);
    await site.waitForHydration();
    await expect(site.heading).toHaveText("We could not find that page");
    expect((await page.goto("/news?page=2"))?.status()).toBe(404);
    expect((await page.goto("/news?page=zero"))?.status()).toBe(400);
    await expect(site.heading).toHaveText("This address could not be understood");
    // The browser logs each document's own status, which is what these pages are.
    expect(consoleErrors.every((error) => /40[04]/.test(error))).toBe(true);
    consoleErrors.length = 0;
  });
});

test.describe("searching", () => {
  test("finds a post by its words, marks them, and announces the result", async ({ site, banner, page }) => {
    await site.open("/search");
    await banner.rejectAll.click();
    const box = page.getByRole("searchbox", { name: "Words to look for" });
    await box.fill("populist movements");
    await box.press("Enter");
    await expect(page).toHaveURL("/search?q=populist+movements");
    await expect(page.getByRole("status")).toHaveText("1 post contains all of: populist movements.");
    const result = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: SEED_TITLE }) });
    await expect(result.locator("mark").first()).toHaveText("populist");
    await expect(box).toHaveValue("populist movements");

    await box.fill("xylophone");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByRole("status")).toHaveText("No posts contain all of: xylophone.");

    await result.first().waitFor({ state: "detached" });
    await page.goBack();
    await expect(page.getByRole("link", { name: SEED_TITLE })).toBeVisible();
  });

  test("search syntax and markup are only words", async ({ site, banner, page }) => {
    await site.open("/search");
    await banner.rejectAll.click();
    const box = page.getByRole("searchbox", { name: "Words to look for" });
    await box.fill('"NEAR(migration <script>alert(1)</script> OR *');
    await box.press("Enter");
    // Every character other than letters and digits separates words: nothing was run as
    // FTS5 syntax (an error page) or as markup.
    await expect(page.getByRole("status")).toHaveText("No posts contain all of: NEAR migration script alert 1 OR.");
    await expect(page.locator("main mark")).toHaveCount(0);
    await expect(page.getByText("This page could not be loaded")).toHaveCount(0);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the search form works as a plain GET form", async ({ page }) => {
    await page.goto("/search");
    await page.getByRole("searchbox", { name: "Words to look for" }).fill("Wim Kok");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL("/search?q=Wim+Kok");
    await expect(page.getByRole("link", { name: SEED_TITLE })).toBeVisible();
    await expect(page.locator("mark").first()).toHaveText("Wim");
  });

  test("tags, members and feeds are plain links", async ({ page }) => {
    await page.goto(SEED_POST);
    await page.locator(".post-header").getByRole("link", { name: "Leadership" }).click();
    await expect(page).toHaveURL("/news/tag/leadership");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Leadership");
    const feed = await page.request.get("/news/tag/leadership/feed.xml");
    expect(feed.ok()).toBe(true);
    expect(await feed.text()).toContain(SEED_TITLE);
  });
});
