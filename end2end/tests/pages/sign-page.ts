import { expect, type Locator, type Page } from "@playwright/test";
import { formReady } from "./site";

/** `/take-action`: the call, its meter and the sign form. */
export class SignPage {
  readonly form: Locator;
  readonly fullName: Locator;
  readonly email: Locator;
  readonly asPerson: Locator;
  readonly asOrganisation: Locator;
  readonly organisation: Locator;
  readonly role: Locator;
  readonly country: Locator;
  readonly showName: Locator;
  readonly keepInformed: Locator;
  readonly submit: Locator;
  readonly errorSummary: Locator;
  readonly headline: Locator;
  readonly inbox: Locator;

  constructor(readonly page: Page) {
    this.form = page.locator("form.sign-form");
    this.fullName = page.getByLabel("Full name");
    this.email = page.getByLabel("Email address");
    this.asPerson = page.getByLabel("As a person");
    this.asOrganisation = page.getByLabel("For an organisation or a city");
    this.organisation = page.getByLabel("Organisation or city");
    this.role = page.getByLabel("Your role in it");
    this.country = page.getByLabel("Country");
    this.showName = page.getByLabel("Show my name in the public list of signers");
    this.keepInformed = page.getByLabel("Keep me informed about the call by email");
    this.submit = page.getByRole("button", { name: "Sign the call" });
    this.errorSummary = page.getByRole("alert");
    this.headline = page.locator(".signature-headline");
    this.inbox = page.getByRole("heading", { name: "Check your inbox" });
  }

  /** Waits until the browser has taken the form over (see `formReady`). */
  async ready() {
    await formReady(this.form);
  }

  /** The confirmed signatures the page shows (0 when it invites the first). */
  async count(): Promise<number> {
    const text = (await this.headline.first().textContent()) ?? "";
    if (text.includes("Be the first")) return 0;
    const match = text.match(/^([\d,]+) signatures? so far$/);
    expect(match, `a count in "${text}"`).not.toBeNull();
    return Number(match![1].replace(/,/g, ""));
  }

  async fill(values: { name: string; email: string; country?: string; showName?: boolean }) {
    await this.fullName.fill(values.name);
    await this.email.fill(values.email);
    await this.country.selectOption({ label: values.country ?? "Netherlands" });
    if (values.showName) await this.showName.check();
  }

  /** The message shown under a field. */
  fieldError(field: Locator): Promise<string | null> {
    return field.evaluate((element) => {
      const ids = (element.getAttribute("aria-describedby") ?? "").split(/\s+/);
      const message = ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains("field-error"));
      return message?.textContent ?? null;
    });
  }
}
