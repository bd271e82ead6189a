import { expect, type Locator, type Page } from "@playwright/test";
import { formReady } from "./site";
import { execFileSync } from "node:child_process";
import path from "node:path";

/** The pledge form, as every donation prompt and /donate carry it. */
export class DonationForm {
  readonly form: Locator;
  readonly otherAmount: Locator;
  readonly yourAmount: Locator;
  readonly once: Locator;
  readonly monthly: Locator;
  readonly fullName: Locator;
  readonly email: Locator;
  readonly taxCertificate: Locator;
  readonly taxId: Locator;
  readonly submit: Locator;
  readonly errorSummary: Locator;
  readonly thanks: Locator;
  readonly reference: Locator;

  constructor(readonly page: Page) {
    this.form = page.locator("form.donation-form");
    this.otherAmount = this.form.getByLabel("Other amount");
    this.yourAmount = this.form.getByLabel("Your amount");
    this.once = this.form.getByLabel("Once");
    this.monthly = this.form.getByLabel("Every month");
    this.fullName = this.form.getByLabel("Full name");
    this.email = this.form.getByLabel("Email address");
    this.taxCertificate = this.form.getByLabel("I want a tax certificate (Spain)");
    this.taxId = this.form.getByLabel("NIF or NIE");
    this.submit = this.form.getByRole("button", { name: "Pledge my gift" });
    this.errorSummary = this.form.getByRole("alert");
    this.thanks = page.getByRole("heading", { name: "Thank you for your pledge" });
    this.reference = page.locator(".bank-details .reference .copyable-value");
  }

  /** Waits until the browser has taken the form over (see `formReady`). */
  async ready() {
    await formReady(this.form);
  }

  amount(label: string): Locator {
    return this.form.getByLabel(label, { exact: true });
  }

  async fill(values: { amount: string; monthly?: boolean; name: string; email: string }) {
    await this.amount(values.amount).check();
    if (values.monthly) await this.monthly.check();
    await this.fullName.fill(values.name);
    await this.email.fill(values.email);
  }
}

/** Runs a staff command of the server binary against the database the site serves. */
export function staff(...args: string[]): string {
  const root = path.join(__dirname, "../../..");
  const server = process.env.SERVER_BIN ?? path.join(root, "target/release/server");
  const databaseUrl = process.env.E2E_DATABASE_URL ?? `sqlite://${path.join(root, "data/site.db")}`;
  return execFileSync(server, args, { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
}

/** The gifts /donate says it has received (0 before the first). */
export async function giftsReceived(page: Page): Promise<number> {
  const line = page.locator(".donation-total");
  if ((await line.count()) === 0) return 0;
  const match = ((await line.textContent()) ?? "").match(/from ([\d,]+) gifts?\./);
  expect(match, "a number of gifts").not.toBeNull();
  return Number(match![1].replace(/,/g, ""));
}
