import { expect, test } from "./fixtures";
import { expectNothingTypedIn } from "./pages/address";
import { Mailbox, uniqueAddress } from "./pages/mailbox";
import { SignPage } from "./pages/sign-page";

const mailbox = new Mailbox();

test.describe("signing the call with JavaScript", () => {
  // The cookie banner sits over the foot of the page until a choice is made, as a reader
  // would first do.
  test.beforeEach(async ({ site, banner }) => {
    await site.open("/");
    await banner.rejectAll.click();
    await expect(banner.region).toBeHidden();
  });

  test("sign, confirm through the mail, and the count goes up by one", async ({ site, page }) => {
    await site.open("/take-action");
    const call = new SignPage(page);
    await call.ready();
    const before = await call.count();
    const address = uniqueAddress("js");
    // Set on the page in view: a page the browser loaded anew would not have it.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await call.fill({ name: "Ana Pérez", email: address, showName: true });
    await call.submit.click();
    await expect(call.inbox).toBeFocused();
    await expect(page).toHaveURL("/take-action/thanks");
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), "sent in place").toBe(true);
    // Pasted anywhere, the link still leads here: absolute, as the page without JS has it.
    const origin = new URL(page.url()).origin;
    await expect(page.getByLabel("Link to the call")).toHaveValue(`${origin}/take-action`);
    const mail = await page.getByRole("link", { name: "Share the story by email" }).getAttribute("href");
    expect(mail).toMatch(/^mailto:\?/);
    expect(new URLSearchParams(mail!.slice("mailto:?".length)).get("body")).toMatch(new RegExp(`^${origin}/news/`));

    const link = await mailbox.confirmationLink(address);
    await site.open(link);
    await expect(site.heading).toHaveText("Confirm your signature");
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    await expect(site.heading).toHaveText("Thank you: your signature is confirmed");
    await expect(site.heading).toBeFocused();

    await site.open("/take-action");
    expect(await call.count()).toBe(before + 1);
    await expect(page.getByRole("region", { name: "Recently signed by" })).toContainText("Ana Pérez");
    await site.open("/");
    expect(await new SignPage(page).count()).toBe(before + 1);
  });

  test("every bad field is shown at once and the first gets the focus", async ({ site, page }) => {
    await site.open("/take-action");
    const call = new SignPage(page);
    await call.ready();
    await call.email.fill("not an address");
    await call.asOrganisation.check();
    await expect(call.organisation).toBeVisible();
    await call.submit.click();

    await expect(call.errorSummary).toContainText("Please correct the highlighted fields.");
    await expect(call.fullName).toBeFocused();
    await expect(call.fullName).toHaveAttribute("aria-invalid", "true");
    expect(await call.fieldError(call.fullName)).toContain("Enter your full name.");
    expect(await call.fieldError(call.email)).toContain("Enter an email address in the form name@example.org.");
    expect(await call.fieldError(call.organisation)).toContain("Enter the name of your organisation or city.");
    expect(await call.fieldError(call.role)).toContain("Enter your role in it.");
    expect(await call.fieldError(call.country)).toContain("Choose your country.");
    await expect(call.email).toHaveValue("not an address");

    // Fixed, it goes through.
    const address = uniqueAddress("fixed");
    await call.fullName.fill("Mayor of Somewhere");
    await call.email.fill(address);
    await call.organisation.fill("City of Somewhere");
    await call.role.fill("Mayor");
    await call.country.selectOption({ label: "Spain" });
    await call.submit.click();
    await expect(call.inbox).toBeVisible();
    await mailbox.confirmationLink(address);
  });

  test("reached by a link within the site, the form still answers in place", async ({ site, page }) => {
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    // From the home page, whose own form went away with it.
    await site.navigateTo("Take action");
    await expect(site.heading).toHaveText(/Call to Action/);
    const call = new SignPage(page);
    await call.ready();
    await call.submit.click();
    await expect(call.errorSummary).toContainText("Please correct the highlighted fields.");
    await expect(call.fullName).toBeFocused();
    expect(
      await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
      "the page swapped in place, the form was sent in place",
    ).toBe(true);
  });

  test("an address typed in other capitals is the same signer and counts once", async ({ site, page }) => {
    const address = uniqueAddress("case");
    await site.open("/take-action");
    const call = new SignPage(page);
    await call.ready();
    const before = await call.count();
    await call.fill({ name: "Ana Case", email: address });
    await call.submit.click();
    await site.open(await mailbox.confirmationLink(address));
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    await expect(site.heading).toHaveText("Thank you: your signature is confirmed");

    await site.open("/take-action");
    await call.ready();
    await call.fill({ name: "Ana Case", email: address.toUpperCase() });
    await call.submit.click();
    await expect(call.inbox).toBeVisible();
    await site.open("/take-action");
    expect(await call.count()).toBe(before + 1);
    expect(await mailbox.messagesTo(address.toUpperCase())).toHaveLength(0);
  });

  test("signing twice looks the same and sends one message", async ({ site, page }) => {
    const address = uniqueAddress("twice");
    for (let i = 0; i < 2; i++) {
      await site.open("/take-action");
      const call = new SignPage(page);
      await call.ready();
      await call.fill({ name: "Bo Jansen", email: address });
      await call.submit.click();
      await expect(call.inbox).toBeVisible();
    }
    await mailbox.confirmationLink(address);
    // A later signer's mail arriving proves the queue has moved past both posts.
    const later = uniqueAddress("later");
    await site.open("/take-action");
    const call = new SignPage(page);
    await call.ready();
    await call.fill({ name: "Later Signer", email: later });
    await call.submit.click();
    await mailbox.confirmationLink(later);
    expect(await mailbox.messagesTo(address)).toHaveLength(1);
  });

  test("a bot that fills the hidden field is thanked and nothing is sent", async ({ site, page }) => {
    const bot = uniqueAddress("bot");
    await site.open("/take-action");
    const call = new SignPage(page);
    await call.ready();
    await call.fill({ name: "Bot", email: bot });
    await page.locator("#signup-leave_empty").evaluate((input: HTMLInputElement) => (input.value = "http://spam.example"));
    await call.submit.click();
    await expect(call.inbox).toBeVisible();

    const person = uniqueAddress("person");
    await site.open("/take-action");
    await call.ready();
    await call.fill({ name: "A Person", email: person });
    await call.submit.click();
    await mailbox.confirmationLink(person);
    expect(await mailbox.messagesTo(bot)).toHaveLength(0);
  });

  test("the form works from the keyboard alone", async ({ site, page }) => {
    await site.open("/take-action");
    const call = new SignPage(page);
    await call.ready();
    const address = uniqueAddress("keys");
    await call.fullName.focus();
    await page.keyboard.type("Keyboard User");
    await page.keyboard.press("Tab");
    await expect(call.email).toBeFocused();
    await page.keyboard.type(address);
    await page.keyboard.press("Tab");
    await expect(call.asPerson).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(call.country).toBeFocused();
    await call.country.selectOption({ label: "Portugal" });
    await page.keyboard.press("Tab");
    await expect(call.showName).toBeFocused();
    await page.keyboard.press("Space");
    await expect(call.showName).toBeChecked();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(call.submit).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(call.inbox).toBeFocused();
    await mailbox.confirmationLink(address);
  });
});

test.describe("signing the call without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign, land on the thank-you page, confirm through the mail", async ({ page }) => {
    await page.goto("/take-action");
    const call = new SignPage(page);
    const before = await call.count();
    const address = uniqueAddress("nojs");
    await expect(call.organisation).toBeHidden();
    await call.fill({ name: "No Script", email: address });
    await call.submit.click();
    await expect(page).toHaveURL("/take-action/thanks");
    await expect(call.inbox).toBeVisible();

    const link = await mailbox.confirmationLink(address);
    await page.goto(link);
    await page.getByRole("button", { name: "Confirm my signature" }).click();
    await expect(page).toHaveURL(link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you: your signature is confirmed");
    await page.goto("/take-action");
    expect(await call.count()).toBe(before + 1);
  });

  test("bad fields come back with their messages and what was typed", async ({ page }) => {
    await page.goto("/take-action?source=e2e");
    const call = new SignPage(page);
    await call.email.fill("nobody.example.org");
    await call.asOrganisation.check();
    await expect(call.organisation).toBeVisible();
    await call.submit.click();

    await expect(page).toHaveURL(/\/take-action\?source=e2e&__path=/);
    expectNothingTypedIn(page.url(), ["nobody.example.org", "nobody"]);
    await expect(call.errorSummary).toContainText("Enter your full name.");
    await expect(call.email).toHaveValue("nobody.example.org");
    await expect(call.asOrganisation).toBeChecked();
    await expect(call.fullName).toBeFocused();
    expect(await call.fieldError(call.email)).toContain("Enter an email address in the form name@example.org.");
  });
});
