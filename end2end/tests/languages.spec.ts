import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { sql } from "./pages/database";
import { Mailbox, uniqueAddress } from "./pages/mailbox";
import { SEED_POST, SEED_TITLE } from "./pages/post-page";
import { SITE_PAGES, formReady } from "./pages/site";

const SPANISH_TITLE =
  "Un llamamiento a la acción para construir sociedades compartidas en la conferencia Cities of Migration";

/** The Spanish site's own words for what a supporter looks for and presses. */
const ES = {
  banner: "Consentimiento de cookies",
  rejectAll: "Rechazar todo",
  nav: "Principal",
  fullName: "Nombre completo",
  email: "Correo electrónico",
  country: "País",
  sign: "Firmar el llamamiento",
  inbox: "Revise su bandeja de entrada",
  confirm: "Confirmar mi firma",
  confirmed: "Gracias: su firma ha quedado confirmada",
  pledge: "Comprometer mi donativo",
  pledged: "Gracias por su compromiso de donación",
};

function spanish(path: string): string {
  return path === "/" ? "/es" : `/es${path}`;
}

test.describe("axe finds no violations on the Spanish pages", () => {
  for (const path of SITE_PAGES.map(spanish)) {
    test(`on ${path}, with the cookie banner open`, async ({ site, page }) => {
      await site.open(path);
      await expect(page.locator("html")).toHaveAttribute("lang", "es");
      await expect(page.getByRole("region", { name: ES.banner })).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });
  }
});

test("the language switch leads to the same page in the other language, and back", async ({ site, page }) => {
  await site.open(SEED_POST);
  await expect(site.heading).toHaveText(SEED_TITLE);
  await page.getByRole("banner").getByRole("link", { name: "Español" }).click();
  await expect(page).toHaveURL(spanish(SEED_POST));
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(site.heading).toHaveText(SPANISH_TITLE);
  await expect(page.getByRole("navigation", { name: ES.nav })).toContainText("Noticias");
  await page.getByRole("banner").getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(SEED_POST);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(site.heading).toHaveText(SEED_TITLE);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("switching language on a form with errors keeps the errors and what was typed", async ({ page }) => {
    await page.goto("/es/take-action");
    await page.getByLabel(ES.fullName).fill("Ana Pérez");
    await page.getByLabel(ES.email, { exact: true }).fill("ana-sin-arroba");
    await page.getByRole("button", { name: ES.sign }).click();
    await expect(page.getByRole("alert")).toContainText("Introduzca una dirección de correo electrónico");
    await page.getByRole("banner").getByRole("link", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("alert")).toContainText("Enter an email address in the form name@example.org.");
    await expect(page.getByLabel("Full name")).toHaveValue("Ana Pérez");
    await expect(page.getByLabel("Email address", { exact: true })).toHaveValue("ana-sin-arroba");
  });
});

test("a cookie choice made on a Spanish page is kept with the Spanish text as its proof", async ({ site, page }) => {
  await site.open("/es/news");
  const banner = page.getByRole("region", { name: ES.banner });
  const proof = page.waitForResponse((response) => response.url().endsWith("/api/consent"));
  await banner.getByRole("button", { name: ES.rejectAll }).click();
  expect((await proof).status()).toBe(200);
  await expect(banner).toBeHidden();
  const id = await page.evaluate(() => JSON.parse(window.localStorage.getItem("shared-societies.consent") ?? "{}").id);
  expect(sql(`SELECT lang FROM consent_records WHERE id = '${id}';`).trim()).toBe("es");
});

for (const javaScriptEnabled of [true, false]) {
  const how = javaScriptEnabled ? "with JavaScript" : "without JavaScript";

  test.describe(how, () => {
    test.use({ javaScriptEnabled });

    test("a supporter signs in Spanish, and the mail and the confirmation are in Spanish", async ({ page }) => {
      const address = uniqueAddress(`es-sign-${javaScriptEnabled ? "js" : "nojs"}`);
      await page.goto("/es/take-action");
      if (javaScriptEnabled) {
        await page.getByRole("region", { name: ES.banner }).getByRole("button", { name: ES.rejectAll }).click();
        await formReady(page.locator("form.sign-form"));
      }
      await page.getByLabel(ES.fullName).fill("Ana Pérez");
      await page.getByLabel(ES.email, { exact: true }).fill(address);
      await page.getByLabel(ES.country).selectOption("ES");
      await page.getByRole("button", { name: ES.sign }).click();
      await expect(page.getByRole("heading", { name: ES.inbox })).toBeVisible();
      if (!javaScriptEnabled) await expect(page).toHaveURL("/es/take-action/thanks");

      const link = await new Mailbox().confirmationLink(address);
      expect(link.startsWith("/es/take-action/confirm/"), link).toBe(true);
      const [mail] = await new Mailbox().messagesTo(address);
      expect(mail).toContain("Subject: Confirme su firma");

      await page.goto(link);
      await expect(page.locator("html")).toHaveAttribute("lang", "es");
      await page.getByRole("button", { name: ES.confirm }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(ES.confirmed);
      await expect(page).toHaveURL(link);
      expect(sql(`SELECT status || ' ' || lang FROM signups WHERE email = '${address}';`).trim()).toBe("confirmed es");
    });

    test("a donor pledges in Spanish and reads the transfer in Spanish", async ({ page }) => {
      const address = uniqueAddress(`es-pledge-${javaScriptEnabled ? "js" : "nojs"}`);
      await page.goto("/es/donate");
      const form = page.locator("form.donation-form");
      if (javaScriptEnabled) {
        await page.getByRole("region", { name: ES.banner }).getByRole("button", { name: ES.rejectAll }).click();
        await formReady(form);
      }
      await form.getByLabel("25\u00a0€", { exact: true }).check();
      await form.getByLabel(ES.fullName).fill("Ana Pérez");
      await form.getByLabel(ES.email, { exact: true }).fill(address);
      await form.getByRole("button", { name: ES.pledge }).click();
      await expect(page.getByRole("heading", { name: ES.pledged })).toBeVisible();
      await expect(page.locator(".bank-details")).toContainText("IBAN");
      if (!javaScriptEnabled) await expect(page).toHaveURL(/\/es\/donate\/thanks\/SS-/);
      await expect(page.locator("main strong")).toContainText("25\u00a0€ una sola vez");
      await expect
        .poll(async () => (await new Mailbox().messagesTo(address)).join(""))
        .toContain("Haga la transferencia a esta cuenta");
      expect(sql(`SELECT lang FROM pledges WHERE donor_email = '${address}';`).trim()).toBe("es");
    });
  });
}
