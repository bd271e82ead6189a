import { expect, test } from "@playwright/test";
import { DONATION_PROMPT, SEED_PARAGRAPHS, SEED_POST, SEED_TITLE } from "./pages/post-page";

test.use({ javaScriptEnabled: false });

test.describe("without JavaScript", () => {
  test("the post is complete", async ({ page }) => {
    await page.goto(SEED_POST);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(SEED_TITLE);
    await expect(page.locator(".post-body p")).toHaveText(SEED_PARAGRAPHS);
    await expect(page.getByRole("region", { name: "Related Members" })).toContainText("Wim Kok");
    await expect(page.getByRole("complementary", { name: "Support our work" })).toContainText(DONATION_PROMPT);
    await expect(page.getByText("Loading…")).toHaveCount(0);
  });

  test("no cookie banner appears and nothing is stored", async ({ page }) => {
    await page.goto(SEED_POST);
    await expect(page.getByRole("region", { name: "Cookie consent" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Cookie settings" })).toBeHidden();
    await expect(page.getByRole("link", { name: "Cookie policy" })).toBeVisible();
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
  });

  test("the cookie policy says nothing optional runs, and its switches are off and inert", async ({ page }) => {
    await page.goto("/cookies");
    await expect(page.getByText("Without it, nothing optional runs on this site")).toBeVisible();
    const switches = page.getByRole("switch");
    await expect(switches).toHaveCount(3);
    await expect(page.getByRole("switch", { name: "Analytics" })).not.toBeChecked();
    await expect(page.getByRole("switch", { name: "Analytics" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Accept all" })).toBeDisabled();
  });

  test("a video shows its host and a link to it, and no frame", async ({ page }) => {
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(SEED_POST);
    const figure = page.locator("figure.embed");
    await expect(figure).toContainText("This video is hosted by YouTube.");
    await expect(figure.getByRole("link", { name: /View on YouTube/ })).toBeVisible();
    await expect(page.locator("iframe")).toHaveCount(0);
    expect(requests.filter((url) => !url.startsWith(new URL(page.url()).origin))).toEqual([]);
  });

  test("links still lead from page to page", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "News" }).click();
    await expect(page).toHaveURL("/news");
    await page.getByRole("link", { name: SEED_TITLE }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(SEED_TITLE);
  });
});
