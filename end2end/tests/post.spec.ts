import { expect, test } from "./fixtures";
import { DONATION_PROMPT, SEED_PARAGRAPHS, SEED_POST, SEED_TITLE } from "./pages/post-page";

test.describe("the seed news post", () => {
  test("shows the old site's post word for word", async ({ site, postPage }) => {
    await site.open(SEED_POST);

    await expect(postPage.title).toHaveText(SEED_TITLE);
    await expect(postPage.date).toHaveText("6 October 2010");
    await expect(postPage.date).toHaveAttribute("datetime", "2010-10-06");
    await expect(postPage.paragraphs).toHaveText(SEED_PARAGRAPHS);
    await expect(postPage.quotations).toHaveCount(2);
    await expect(postPage.quotations.first()).toContainText("In times where people feel uncertain");
    await expect(postPage.quotations.nth(1)).toContainText("Leadership is important");
    await expect(postPage.donationPrompt).toContainText(DONATION_PROMPT);
    await expect(site.page).toHaveTitle(`${SEED_TITLE} · Shared Societies`);
  });

  test("links to its resources, marking the external one", async ({ site, postPage }) => {
    await site.open(SEED_POST);

    await expect(postPage.callToActionLink).toHaveAttribute("href", "/take-action");
    await expect(postPage.citiesOfMigrationLink).toHaveAttribute("href", "https://citiesofmigration.ca/");
    await expect(postPage.citiesOfMigrationLink).toHaveAttribute("rel", /external/);
    await expect(postPage.citiesOfMigrationLink).toHaveAccessibleName(
      /Access Cities of Migration website \(external website\)/,
    );

    await postPage.interventionLink.click();
    await expect(site.heading).toHaveText("Wim Kok’s intervention at the Cities of Migration conference");
    await expect(site.main).toContainText("not online yet");
  });

  test("hydrates, then navigates between pages without reloading", async ({ site, postPage, banner, page }) => {
    await site.open(SEED_POST);
    // As a reader would: answer the banner, which otherwise covers the foot of the page.
    await banner.rejectAll.click();
    // A value that only survives if the document is never reloaded.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    await expect(postPage.relatedMembers).toContainText("Former Prime Minister of the Netherlands");
    await postPage.memberLink("Wim Kok").click();
    await expect(page).toHaveURL("/members/wim-kok");
    await expect(site.heading).toHaveText("Wim Kok");
    await expect(page).toHaveTitle("Wim Kok · Shared Societies");

    await page.getByRole("link", { name: SEED_TITLE }).click();
    await expect(site.heading).toHaveText(SEED_TITLE);
    await page.goBack();
    await expect(site.heading).toHaveText("Wim Kok");

    await site.navigateTo("Take action");
    await expect(site.heading).toHaveText("Call to Action for Leadership to build Shared Societies");
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  test("an unknown post is a helpful 404", async ({ site, consoleErrors }) => {
    const response = await site.page.goto("/news/there-is-no-such-post");
    expect(response?.status()).toBe(404);
    await site.waitForHydration();
    await expect(site.heading).toHaveText("We could not find that page");
    await expect(site.main.getByRole("link", { name: "The home page" })).toBeVisible();
    // The browser logs the document's own 404, which is what this test asks for.
    expect(consoleErrors).toEqual([expect.stringContaining("404")]);
    consoleErrors.length = 0;
  });
});

test("the home page leads to the post, the call to action and donating", async ({ site, page }) => {
  await site.open("/");
  await expect(page.getByRole("heading", { name: "Latest news" })).toBeVisible();
  const first = page.locator(".post-list li").first();
  await expect(first).toContainText(SEED_TITLE);
  await expect(page.getByRole("link", { name: "Donate" }).first()).toBeVisible();

  await first.getByRole("link", { name: SEED_TITLE }).click();
  await expect(site.heading).toHaveText(SEED_TITLE);
});
