import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { Preferences } from "./pages/consent-banner";
import { DonationForm } from "./pages/donation-form";
import { Mailbox, uniqueAddress } from "./pages/mailbox";
import { SEED_POST } from "./pages/post-page";
import { SITE_PAGES } from "./pages/site";
import { SignPage } from "./pages/sign-page";


async function expectNoViolations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

test.describe("axe finds no violations", () => {
  for (const path of SITE_PAGES) {
    test(`on ${path}, with the cookie banner open`, async ({ site, banner, page }) => {
      await site.open(path);
      await expect(banner.region).toBeVisible();
      await expectNoViolations(page);
    });
  }

  test("on a phone, with the menu open and the banner up", async ({ site, banner, page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await site.open(SEED_POST);
    await expect(banner.region).toBeVisible();
    await page.getByText("Menu", { exact: true }).click();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expectNoViolations(page);
  });

  test("on the 404 page", async ({ site, page, consoleErrors }) => {
    await page.goto("/no/such/page");
    await site.waitForHydration();
    await expectNoViolations(page);
    // The browser logs the document's own 404, which is what this page is.
    expect(consoleErrors).toEqual([expect.stringContaining("404")]);
    consoleErrors.length = 0;
  });

  test("in the preferences dialog, over the banner", async ({ site, banner, page }) => {
    await site.open(SEED_POST);
    await banner.settings.click();
    const dialog = new Preferences(page);
    await expect(dialog.root).toBeVisible();
    await dialog.root.locator("details").first().locator("summary").click();
    await expectNoViolations(page);
  });

  test("on a post with a video, before and after it is loaded", async ({ site, banner, page }) => {
    await page.route("https://www.youtube-nocookie.com/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><html lang=en><title>video</title><p>video</p>" }),
    );
    await site.open(SEED_POST);
    await banner.rejectAll.click();
    await expectNoViolations(page);
    const load = page.getByRole("button", { name: "Load this video" });
    await load.click();
    await expect(page.locator("figure.embed iframe")).toBeVisible();
    await expectNoViolations(page);
  });

  test("on the sign form showing its errors", async ({ site, banner, page }) => {
    await site.open("/take-action");
    await banner.rejectAll.click();
    const call = new SignPage(page);
    await call.ready();
    await call.asOrganisation.check();
    await call.submit.click();
    await expect(call.errorSummary).toBeVisible();
    await expectNoViolations(page);
  });

  test("on the thank-you step and the confirmation page, before and after confirming", async ({ site, banner, page }) => {
    await site.open("/take-action");
    await banner.rejectAll.click();
    const call = new SignPage(page);
    await call.ready();
    const address = uniqueAddress("axe");
    await call.fill({ name: "Axe Core", email: address });
    await call.submit.click();
    await expect(call.inbox).toBeVisible();
    await expectNoViolations(page);

    await site.open(await new Mailbox().confirmationLink(address));
    await expectNoViolations(page);
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    await expect(site.heading).toHaveText("Thank you: your signature is confirmed");
    await expectNoViolations(page);
  });

  test("on the pledge form showing its errors, and on the instructions", async ({ site, banner, page }) => {
    await site.open("/donate");
    await banner.rejectAll.click();
    const donation = new DonationForm(page);
    await donation.ready();
    await donation.otherAmount.check();
    await donation.submit.click();
    await expect(donation.errorSummary).toBeVisible();
    await expectNoViolations(page);

    await donation.amount("€25").check();
    await donation.fullName.fill("Axe Core");
    await donation.email.fill(uniqueAddress("axe-pledge"));
    await donation.submit.click();
    await expect(donation.thanks).toBeVisible();
    await expectNoViolations(page);
    const reference = (await donation.reference.textContent()) ?? "";
    await site.open(`/donate/thanks/${reference}`);
    // With its QR code and copy buttons.
    await expect(page.locator(".transfer-code svg")).toBeVisible();
    await expect(page.getByRole("button", { name: "Copy the IBAN" })).toBeVisible();
    await expectNoViolations(page);
  });
});
