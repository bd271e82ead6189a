import { expect, test } from "./fixtures";
import { expectNothingTypedIn } from "./pages/address";
import { DonationForm, giftsReceived, staff } from "./pages/donation-form";
import { Mailbox, uniqueAddress } from "./pages/mailbox";
import { SEED_POST } from "./pages/post-page";

const mailbox = new Mailbox();

/** Waits for the instructions mail to `address` and returns its reference. */
async function mailedReference(address: string): Promise<string> {
  let messages: string[] = [];
  await expect.poll(async () => (messages = await mailbox.messagesTo(address)).length).toBeGreaterThan(0);
  const reference = messages[0].match(/Reference: +(SS-[0-9A-Z]{4}-[0-9A-Z]{4})/);
  expect(reference, "a reference in the message").not.toBeNull();
  return reference![1];
}

test.describe("pledging with JavaScript", () => {
  test.beforeEach(async ({ site, banner }) => {
    await site.open("/");
    await banner.rejectAll.click();
    await expect(banner.region).toBeHidden();
  });

  test("€25 once from the seed post: the instructions in place and by mail", async ({ site, page }) => {
    await site.open(SEED_POST);
    const donation = new DonationForm(page);
    await donation.ready();
    await expect(donation.once).toBeChecked();
    await expect(donation.monthly).not.toBeChecked();
    const address = uniqueAddress("once");
    await donation.fill({ amount: "€25", name: "Ana Pérez", email: address });
    await donation.submit.click();

    await expect(donation.thanks).toBeFocused();
    // The page the server answers a pledge with, swapped in: its address can be kept.
    await expect(page).toHaveURL(/\/donate\/thanks\/SS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expect(page.locator(".pledge-instructions")).toContainText("€25 once");
    const reference = (await donation.reference.textContent()) ?? "";
    expect(reference).toMatch(/^SS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await mailedReference(address)).toBe(reference);
  });

  test("€10 monthly on /donate, then staff mark it received and the total grows", async ({ site, page }) => {
    await site.open("/donate");
    const before = await giftsReceived(page);
    const donation = new DonationForm(page);
    await donation.ready();
    const address = uniqueAddress("monthly");
    await donation.fill({ amount: "€10", monthly: true, name: "Bo Jansen", email: address });
    await donation.submit.click();
    await expect(page.locator(".pledge-instructions")).toContainText("€10 every month");
    const reference = (await donation.reference.textContent()) ?? "";

    expect(staff("pledges", "mark-received", reference)).toContain(`${reference} is now received`);
    // The staff command is another process: the server's kept page follows within a second.
    await expect
      .poll(async () => {
        await site.open("/donate");
        return giftsReceived(page);
      })
      .toBe(before + 1);
  });

  test("a double click pledges once", async ({ site, page }) => {
    await site.open("/donate");
    const donation = new DonationForm(page);
    await donation.ready();
    // The page is the same bytes for everyone; the key is this showing's, made in the browser.
    await expect(page.locator('input[name="form[idempotency_key]"]')).toHaveValue(/^[0-9a-f-]{36}$/);
    const address = uniqueAddress("double");
    await donation.fill({ amount: "€50", name: "Double Click", email: address });
    await donation.submit.dblclick();
    await expect(donation.thanks).toBeVisible();
    await mailedReference(address);
    const rows = staff("export", "pledges").split("\n").filter((line) => line.includes(address));
    expect(rows).toHaveLength(1);
  });

  test("errors keep the amount and frequency chosen", async ({ site, page }) => {
    await site.open("/donate");
    const donation = new DonationForm(page);
    await donation.ready();
    await donation.otherAmount.check();
    await expect(donation.yourAmount).toBeVisible();
    await donation.yourAmount.fill("0,50");
    await donation.monthly.check();
    await donation.taxCertificate.check();
    await donation.taxId.fill("12345678A");
    await donation.submit.click();

    await expect(donation.errorSummary).toContainText("Enter an amount of at least 1.");
    await expect(donation.errorSummary).toContainText("The letter of this NIF or NIE does not match its number.");
    await expect(donation.yourAmount).toBeFocused();
    await expect(donation.otherAmount).toBeChecked();
    await expect(donation.monthly).toBeChecked();
    await expect(donation.yourAmount).toHaveValue("0,50");
  });

  test("the form works from the keyboard alone", async ({ site, page }) => {
    await site.open("/donate");
    const donation = new DonationForm(page);
    await donation.ready();
    const address = uniqueAddress("keys");
    await donation.amount("€25").focus();
    await page.keyboard.press("ArrowRight");
    await expect(donation.amount("€50")).toBeChecked();
    await page.keyboard.press("Tab");
    await expect(donation.once).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(donation.monthly).toBeChecked();
    await page.keyboard.press("Tab");
    await expect(donation.fullName).toBeFocused();
    await page.keyboard.type("Keyboard Donor");
    await page.keyboard.press("Tab");
    await page.keyboard.type(address);
    for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
    await expect(donation.submit).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(donation.thanks).toBeFocused();
    await expect(page.locator(".pledge-instructions")).toContainText("€50 every month");
  });
});

test.describe("pledging without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("€25 once from the seed post lands on the instructions page", async ({ page }) => {
    await page.goto(SEED_POST);
    const donation = new DonationForm(page);
    await expect(donation.yourAmount).toBeHidden();
    const address = uniqueAddress("nojs-once");
    await donation.fill({ amount: "€25", name: "No Script", email: address });
    await donation.submit.click();
    await expect(page).toHaveURL(/\/donate\/thanks\/SS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expect(page.locator(".pledge-instructions")).toContainText("€25 once");
    const reference = page.url().split("/").pop();
    expect(await mailedReference(address)).toBe(reference);
  });

  test("€10 monthly on /donate, and errors come back with what was chosen", async ({ page }) => {
    await page.goto("/donate");
    const donation = new DonationForm(page);
    await donation.amount("€10").check();
    await donation.monthly.check();
    await donation.fullName.fill("No Script");
    await donation.email.fill("not-an-address");
    await donation.submit.click();
    await expect(page).toHaveURL(/\/donate\?__path=/);
    expectNothingTypedIn(page.url(), ["No Script", "not-an-address"]);
    await expect(donation.errorSummary).toContainText("Enter an email address in the form name@example.org.");
    await expect(donation.fullName).toHaveValue("No Script");
    await expect(donation.amount("€10")).toBeChecked();
    await expect(donation.monthly).toBeChecked();

    await donation.email.fill(uniqueAddress("nojs-monthly"));
    await donation.submit.click();
    await expect(page.locator(".pledge-instructions")).toContainText("€10 every month");
  });

  test("the same pledge sent again at once is one pledge, with the same instructions", async ({ page }) => {
    const address = uniqueAddress("nojs-twice");
    const pledge = async () => {
      await page.goto("/donate");
      const donation = new DonationForm(page);
      await donation.fill({ amount: "€25", name: "No Script", email: address });
      await donation.submit.click();
      await expect(page).toHaveURL(/\/donate\/thanks\/SS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      return page.url();
    };
    const first = await pledge();
    expect(await pledge()).toBe(first);
    const rows = staff("export", "pledges").split("\n").filter((line) => line.includes(address));
    expect(rows).toHaveLength(1);
  });
});
