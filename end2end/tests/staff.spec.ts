import AxeBuilder from "@axe-core/playwright";
import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { DonationForm, giftsReceived, staff } from "./pages/donation-form";
import { Mailbox, uniqueAddress } from "./pages/mailbox";
import { SignPage } from "./pages/sign-page";

const PASSWORD = "a long and memorable passphrase";

/** A new account made with the server's command line: the path of its password link. */
function invite(email: string, role: "editor" | "fundraiser" | "admin"): string {
  const printed = staff("staff", "add", email, "--role", role);
  const link = printed.split("\n").find((line) => line.includes("/staff/set-password/"));
  expect(link, printed).toBeTruthy();
  return new URL(link!.trim()).pathname;
}

/** A new staff member with `role`, through the command line and their password link, logged
 * in: their address. The forms work whether or not the page's script has taken them over. */
async function logInAsNew(page: import("@playwright/test").Page, role: "editor" | "fundraiser" | "admin") {
  const email = uniqueAddress(role);
  await page.goto(invite(email, role));
  await page.getByLabel("New password").fill(PASSWORD);
  await page.getByLabel("The same password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL(/\/staff\/login\?password=set$/);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  return email;
}

async function expectNoViolations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

test("an admin sets a password and logs in with the keyboard alone, and reads the audit trail", async ({
  site,
  page,
}) => {
  const email = uniqueAddress("admin");
  await site.open(invite(email, "admin"));
  await expect(site.heading).toHaveText("Set your password");
  await expectNoViolations(page);
  await page.getByLabel("New password").focus();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("The same password again")).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/staff\/login\?password=set$/);
  await expect(page.getByRole("status")).toContainText("Your password is set");
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByLabel("Email address").focus();
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByText(`Logged in as ${email}, admin.`)).toBeVisible();
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByRole("link", { name: "Audit trail" }).focus();
  await page.keyboard.press("Enter");
  await expect(site.heading).toHaveText("Audit trail");
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows.filter({ hasText: `${email}login${email}` }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "account.invite" }).filter({ hasText: email })).toHaveCount(1);
  await site.waitForHydration();
  await expectNoViolations(page);

  // An invitation from the workspace: the link to send is shown to the admin.
  await page.getByRole("link", { name: "Staff workspace" }).click();
  await page.getByRole("link", { name: "Staff accounts" }).click();
  await expect(site.heading).toHaveText("Staff accounts");
  await site.waitForHydration();
  await expectNoViolations(page);
  const colleague = uniqueAddress("colleague");
  await page.getByLabel("Email address").fill(colleague);
  await page.getByLabel("Role").selectOption("fundraiser");
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByRole("status")).toContainText("Send this link to its owner");
  await expect(page.getByLabel("Password link")).toHaveValue(/\/staff\/set-password\/[\w-]{43}$/);
  await expect(page.getByRole("row").filter({ hasText: colleague })).toContainText("invited");
  await expectNoViolations(page);

  await page.getByRole("link", { name: "Staff workspace" }).click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/login$/);
});

test("a wrong password is refused next to the field, and what was typed stays but the password", async ({
  site,
  page,
}) => {
  const email = uniqueAddress("editor");
  await site.open(invite(email, "editor"));
  await page.getByLabel("New password").fill(PASSWORD);
  await page.getByLabel("The same password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL(/\/staff\/login/);
  await site.waitForHydration();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("not the right one at all");
  await page.getByRole("button", { name: "Log in" }).click();
  const password = page.getByLabel("Password");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("That email address and password do not match an account")).toHaveCount(2);
  await expect(page.getByLabel("Email address")).toHaveValue(email);
  await expect(password).toHaveValue("");
  await expectNoViolations(page);
});

test("a staff member who forgot the password gets a single-use link by mail", async ({
  site,
  page,
  consoleErrors,
}) => {
  const email = uniqueAddress("forgetful");
  await page.goto(invite(email, "editor"));
  await page.getByLabel("New password").fill(PASSWORD);
  await page.getByLabel("The same password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL(/\/staff\/login\?password=set$/);

  await page.getByRole("link", { name: "Forgotten your password?" }).click();
  await expect(site.heading).toHaveText("Forgotten your password?");
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Mail me a link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account has this address");
  await expectNoViolations(page);

  const mailbox = new Mailbox();
  let messages: string[] = [];
  await expect.poll(async () => (messages = await mailbox.messagesTo(email)).length).toBe(1);
  const link = messages[0].match(/https?:\/\/\S+(\/staff\/set-password\/[\w-]+)/);
  expect(link, messages[0]).not.toBeNull();
  const newPassword = "a brand new and long passphrase";
  await page.goto(link![1]);
  await page.getByLabel("New password").fill(newPassword);
  await page.getByLabel("The same password again").fill(newPassword);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL(/\/staff\/login\?password=set$/);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(newPassword);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  // The link worked once.
  await page.goto(link![1]);
  await expect(site.heading).toHaveText("This link does not work any more");
  // The browser logs the spent link's 404 itself.
  expect(consoleErrors).toEqual([expect.stringContaining("404")]);
  consoleErrors.length = 0;
});

test("an editor adds a member, names them in a tagged post, then deletes the post after confirming", async ({
  site,
  page,
  consoleErrors,
}) => {
  await logInAsNew(page, "editor");
  await site.waitForHydration();
  await page.getByRole("main").getByRole("link", { name: "Members" }).click();
  await page.getByRole("link", { name: "Add a member" }).click();
  await expect(site.heading).toHaveText("Add a member");
  await site.waitForHydration();
  await expectNoViolations(page);
  const member = `e2e-member-${Date.now()}`;
  await page.getByLabel("Name").fill("Ana Ruiz");
  await page.getByLabel("Address").fill(member);
  await page.getByLabel("Known for").fill("Former Mayor of Valencia");
  await page.getByLabel("About them").fill("She led the city.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/staff\/members$/);
  await expect(page.getByRole("row").filter({ hasText: "Ana Ruiz" })).toContainText("the workspace");

  const slug = `e2e-tagged-${Date.now()}`;
  await page.goto("/staff/posts/new");
  await site.waitForHydration();
  await page.getByLabel("Title").fill("Valencia welcomes");
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Summary").fill("A city that welcomes.");
  await page.getByLabel("Date").fill("2026-12-03");
  await page.getByLabel("Text (Markdown)").fill("The mayor spoke.");
  await page.getByLabel("Tags").fill("Cities, Welcome");
  await page.getByLabel("Members named").fill(member);
  await page.getByLabel("Published: shown on the site").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/staff\/posts$/);

  await page.goto(`/news/${slug}`);
  await expect(page.getByRole("link", { name: "Welcome" })).toHaveAttribute("href", "/news/tag/welcome");
  await page.getByRole("link", { name: "Ana Ruiz" }).first().click();
  await expect(site.heading).toHaveText("Ana Ruiz");

  await page.goto(`/staff/posts/edit/${slug}`);
  await page.getByRole("link", { name: "Preview the saved post" }).click();
  await expect(page.getByRole("status")).toContainText("Preview: this is how readers see the post");
  await expect(site.heading).toHaveText("Valencia welcomes");
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByRole("link", { name: "Back to the editor" }).click();
  await page.getByRole("link", { name: "Delete this post" }).click();
  await expect(site.heading).toHaveText("Delete “Valencia welcomes”?");
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByRole("button", { name: "Delete the post" }).click();
  await expect(page).toHaveURL(/\/staff\/posts\?deleted=1$/);
  await expect(page.getByRole("status")).toContainText("The post is deleted.");
  const gone = await page.goto(`/news/${slug}`);
  expect(gone?.status()).toBe(404);

  // The member goes too, after the same confirmation.
  await page.goto(`/staff/members/edit/${member}`);
  await page.getByRole("link", { name: "Delete this member" }).click();
  await expect(site.heading).toHaveText("Delete Ana Ruiz?");
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByRole("button", { name: "Delete the member" }).click();
  await expect(page.getByRole("status")).toContainText("The member is deleted.");
  // The browser logs the deleted post's 404 itself.
  expect(consoleErrors).toEqual([expect.stringContaining("404")]);
  consoleErrors.length = 0;
});

test("a fundraiser reads the pictures of the home and the numbers behind them with the keyboard", async ({
  site,
  page,
}) => {
  // A signature, so the signatures' picture has something to draw.
  const sign = new SignPage(page);
  await page.goto("/take-action");
  await sign.ready();
  await sign.fill({ name: "Ana Chart", email: uniqueAddress("chart") });
  await sign.submit.click();
  await expect(sign.inbox).toBeVisible();
  await logInAsNew(page, "fundraiser");
  await site.waitForHydration();
  const pictures = page.getByRole("img", { name: /Signatures per day/ });
  await expect(pictures).toHaveCount(1);
  const disclosure = page.locator("summary", { hasText: "Signatures per day" });
  await disclosure.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: /The numbers of Signatures per day/ })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Confirmed" })).toBeVisible();
  await expectNoViolations(page);

  // The form that records money received, for a pledge made as a donor would.
  await page.goto("/donate");
  const donation = new DonationForm(page);
  await donation.ready();
  await donation.fill({ amount: "€25", name: "Ana Chart", email: uniqueAddress("donor") });
  await donation.submit.click();
  await expect(donation.reference).toBeVisible();
  const reference = ((await donation.reference.textContent()) ?? "").trim();
  await page.goto(`/staff/pledges/receive/${reference}`);
  await expect(site.heading).toHaveText(`Record money received for ${reference}`);
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByLabel("The day it arrived").fill("2999-01-01");
  await page.getByRole("button", { name: "Record it as received" }).click();
  await expect(page.getByLabel("The day it arrived")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("cannot be after today").first()).toBeVisible();
  await expectNoViolations(page);

  // The pledges' list and its filter (a filter that finds none keeps the page small).
  await page.goto("/staff/pledges?text=no-such-pledge&status=received");
  await expect(page.getByText("0 pledges found.")).toBeVisible();
  await site.waitForHydration();
  await expectNoViolations(page);
});

test("an editor writes and publishes a post, and readers find it on /news", async ({ site, page }) => {
  await logInAsNew(page, "editor");
  await site.waitForHydration();
  await page.getByRole("link", { name: "Posts" }).click();
  await page.getByRole("link", { name: "Write a new post" }).click();
  await expect(site.heading).toHaveText("Write a new post");
  await site.waitForHydration();
  await expectNoViolations(page);

  const slug = `e2e-${Date.now()}`;
  await page.getByLabel("Title").fill("Mayors who welcome");
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Summary").fill("Three cities, one lesson.");
  await page.getByLabel("Date").fill("not a date");
  await page.getByLabel("Text (Markdown)").fill("The mayors **agreed**.");
  await page.getByLabel("Published: shown on the site").check();
  await page.getByRole("button", { name: "Save" }).click();
  // A wrong field: its message, and nothing typed is lost.
  await expect(page.getByLabel("Date")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Title")).toHaveValue("Mayors who welcome");
  await expect(page.getByLabel("Text (Markdown)")).toHaveValue("The mayors **agreed**.");
  await page.getByLabel("Date").fill("2026-12-02");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/staff\/posts$/);
  await expect(page.getByRole("row").filter({ hasText: "Mayors who welcome" })).toContainText("published");
  await expectNoViolations(page);

  await page.goto("/news");
  await page.getByRole("link", { name: "Mayors who welcome" }).click();
  await expect(site.heading).toHaveText("Mayors who welcome");
  await expect(page.locator("strong", { hasText: "agreed" })).toBeVisible();

  // An edit, then the earlier version put back.
  await page.goto(`/staff/posts/edit/${slug}`);
  await site.waitForHydration();
  await page.getByLabel("Title").fill("Mayors who hesitate");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/staff\/posts$/);
  await page.goto(`/news/${slug}`);
  await expect(site.heading).toHaveText("Mayors who hesitate");
  await page.goto(`/staff/posts/edit/${slug}`);
  await site.waitForHydration();
  const earlier = page.getByRole("row").filter({ hasText: "Mayors who welcome" });
  await earlier.getByRole("button", { name: /^Restore/ }).click();
  await expect(page.getByLabel("Title")).toHaveValue("Mayors who welcome");
  await expectNoViolations(page);
  await page.goto(`/news/${slug}`);
  await expect(site.heading).toHaveText("Mayors who welcome");
});

test("a fundraiser finds a supporter, sees their data and erases it", async ({ site, page }) => {
  // A signature, made as a supporter would.
  const supporter = uniqueAddress("supporter");
  await page.goto("/take-action");
  await page.getByLabel("Full name").fill("Ana Supporter");
  await page.getByLabel("Email address").fill(supporter);
  await page.getByLabel("Country").selectOption("ES");
  await page.getByRole("button", { name: "Sign the call" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

  await logInAsNew(page, "fundraiser");
  await site.waitForHydration();
  await page.getByRole("link", { name: "Signatures" }).click();
  await expect(site.heading).toHaveText("Signatures");
  await page.getByLabel("Name, address or organisation").fill(supporter);
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByText("1 signatures found.")).toBeVisible();
  await site.waitForHydration();
  await expectNoViolations(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download them as CSV" }).click();
  expect((await download).suggestedFilename()).toBe("signatures.csv");

  await page.getByRole("link", { name: supporter }).click();
  await expect(site.heading).toHaveText(`What we keep about ${supporter}`);
  await expect(page.getByText("Ana Supporter")).toBeVisible();
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByRole("link", { name: "Erase this supporter's data…" }).click();
  await expect(site.heading).toHaveText(`Erase everything about ${supporter}?`);
  await site.waitForHydration();
  await expectNoViolations(page);
  await page.getByRole("button", { name: `Erase everything about ${supporter}` }).click();
  await expect(page.getByRole("status")).toContainText("The supporter's data is erased.");
  await page.getByLabel("Name, address or organisation").fill(supporter);
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByText("0 signatures found.")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("an editor is refused the pledges; a fundraiser marks one received and the total moves", async ({
    page,
    consoleErrors,
  }) => {
    await logInAsNew(page, "editor");
    await expect(page.getByRole("link", { name: "Pledges" })).toHaveCount(0);
    const refused = await page.goto("/staff/pledges");
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "This part of the workspace is not for your role",
    );
    await page.goto("/staff");
    await page.getByRole("button", { name: "Log out" }).click();

    // A pledge, made as a donor would.
    await page.goto("/donate");
    const before = await giftsReceived(page);
    const form = new DonationForm(page);
    await form.fill({ amount: "€25", name: "Ana Pérez", email: uniqueAddress("donor") });
    await form.submit.click();
    const reference = ((await form.reference.textContent()) ?? "").trim();
    expect(reference).toMatch(/^SS-/);

    await logInAsNew(page, "fundraiser");
    await page.getByRole("link", { name: "Pledges" }).click();
    const row = page.getByRole("row").filter({ hasText: reference });
    await expect(row).toContainText("pledged");
    await row.getByRole("link", { name: `Record money received ${reference}` }).click();
    await page.getByLabel("How it arrived").selectOption("Cash");
    await page.getByRole("button", { name: "Record it as received" }).click();
    await expect(page).toHaveURL(/\/staff\/pledges$/);
    await expect(page.getByRole("row").filter({ hasText: reference })).toContainText(
      /received \d{4}-\d{2}-\d{2} \(cash\)/,
    );

    // The filtered list, and its download: the received pledge is in both.
    await page.getByLabel("Status").selectOption("Received");
    await page.getByLabel("Reference, donor's name or address").fill(reference);
    await page.getByRole("button", { name: "Find" }).click();
    await expect(page.getByText("1 pledges found.")).toBeVisible();
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download them as CSV" }).click();
    const csv = await download;
    expect(csv.suggestedFilename()).toBe("pledges.csv");
    const rows = (await readFile((await csv.path()) ?? "", "utf8")).trim().split("\n");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`^${reference},received,2500,EUR,once,`));

    await page.goto("/donate");
    expect(await giftsReceived(page)).toBe(before + 1);
    // The browser logs the refused page's 403 itself.
    expect(consoleErrors).toEqual([expect.stringContaining("403")]);
    consoleErrors.length = 0;
  });
});
