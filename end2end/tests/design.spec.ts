import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DonationForm } from "./pages/donation-form";
import { SEED_POST } from "./pages/post-page";
import { SITE_PAGES } from "./pages/site";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

type Box = { x: number; y: number; width: number; height: number };

/**
 * Every control a visitor can see, with the box a tap or click hits: a radio or checkbox
 * counts with its label, which takes the tap too. Links inside running text are left out, as
 * WCAG 2.5.8 allows: a link is in running text when the block around it says more than it.
 */
async function visibleTargets(page: Page): Promise<{ what: string; box: Box }[]> {
  return page.evaluate(() => {
    const blocks = "p, li, dd, td, th, figcaption, h1, h2, h3, h4, label, legend, summary";
    const shown = (element: Element) => {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) return false;
      const style = getComputedStyle(element);
      if (style.visibility === "hidden" || style.opacity === "0") return false;
      // Off-screen or clipped to a pixel: the skip link until focused, the bot's field.
      if (rect.right < 0 || rect.bottom < -window.scrollY || rect.width <= 1 || rect.height <= 1) return false;
      return !element.closest(".visually-hidden, .honeypot, [hidden], [inert]");
    };
    const inRunningText = (element: Element) => {
      if (element.localName !== "a") return false;
      const block = element.parentElement?.closest(blocks);
      if (!block || block.closest("nav, .tag-list, .pagination")) return false;
      const own = (element.textContent ?? "").trim().length;
      return (block.textContent ?? "").trim().length > own + 3;
    };
    const union = (a: DOMRect, b: DOMRect) => {
      const x = Math.min(a.left, b.left);
      const y = Math.min(a.top, b.top);
      return { x, y, width: Math.max(a.right, b.right) - x, height: Math.max(a.bottom, b.bottom) - y };
    };
    const found: { what: string; box: Box }[] = [];
    for (const element of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
      if (element instanceof HTMLInputElement && element.type === "hidden") continue;
      if (!shown(element) || inRunningText(element)) continue;
      let rect: Box = element.getBoundingClientRect();
      if (element instanceof HTMLInputElement && (element.type === "radio" || element.type === "checkbox")) {
        const label = element.labels?.[0];
        if (label) rect = union(element.getBoundingClientRect(), label.getBoundingClientRect());
      }
      const name = (element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 30);
      const what = `<${element.localName}${element.id ? `#${element.id}` : ""}> ${name || element.getAttribute("name") || ""}`;
      found.push({ what, box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } });
    }
    return found;
  });
}

for (const [name, viewport, least] of [
  ["a phone", PHONE, 44],
  ["a desktop", DESKTOP, 24],
] as const) {
  test(`on ${name}, every visible control is at least ${least}×${least} px`, async ({ site, banner, page }) => {
    await page.setViewportSize(viewport);
    const small: string[] = [];
    for (const path of SITE_PAGES) {
      await site.open(path);
      // The banner's own controls are measured on the first page; then it is answered.
      if (path !== "/") await expect(banner.region).toBeHidden();
      for (const { what, box } of await visibleTargets(page)) {
        // Half a pixel of rounding is no smaller target.
        if (box.width < least - 0.5 || box.height < least - 0.5) {
          small.push(`${path} ${what}: ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
      }
      if (path === "/") await banner.rejectAll.click();
    }
    expect(small).toEqual([]);
  });
}

test("on a phone the banner takes at most a quarter of the screen", async ({ site, banner, page }) => {
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await site.open("/");
    await expect(banner.region).toBeVisible();
    const box = await banner.region.boundingBox();
    expect(box?.height ?? Infinity, `at ${width} px`).toBeLessThanOrEqual(844 / 4);
  }
});

for (const [name, viewport] of [
  ["a phone", PHONE],
  ["a desktop", DESKTOP],
] as const) {
  test(`on ${name}, with the banner up, no Tab stop is under it and the page's end is reachable`, async ({
    site,
    banner,
    page,
  }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(viewport);
    const hidden: string[] = [];
    for (const path of SITE_PAGES) {
      await site.open(path);
      await expect(banner.region).toBeVisible();
      // Forms hydrate as they come near the viewport; tabbing there scrolls them in.
      let stops = 0;
      for (; stops < 150; stops++) {
        await page.keyboard.press("Tab");
        const clash = await page.evaluate(() => {
          const focused = document.activeElement;
          const bar = document.querySelector(".consent-banner");
          if (!focused || focused === document.body || !bar) return "end";
          if (bar.contains(focused)) return null;
          const a = focused.getBoundingClientRect();
          const b = bar.getBoundingClientRect();
          const overlaps = a.bottom > b.top && a.top < b.bottom && a.right > b.left && a.left < b.right;
          if (!overlaps || a.width === 0) return null;
          return `<${focused.localName}> ${(focused.textContent ?? "").trim().slice(0, 30)}`;
        });
        if (clash === "end") break;
        if (clash) hidden.push(`${path}: ${clash}`);
      }
      // The walk went past the header and the banner into the page.
      expect(stops, `${path}: Tab stops walked`).toBeGreaterThan(8);
      // The footer can be scrolled above the banner.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const footer = await page.locator("footer").boundingBox();
      const bar = await banner.region.boundingBox();
      expect((footer?.y ?? 0) + (footer?.height ?? 0), `${path}: the footer clears the banner`).toBeLessThanOrEqual(
        (bar?.y ?? 0) + 1,
      );
    }
    expect(hidden).toEqual([]);
  });
}

test("the header is one row on a phone, and its menu opens without JavaScript", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, baseURL });
  const page = await context.newPage();
  await page.goto(SEED_POST);
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 });
    const header = await page.locator(".site-header").boundingBox();
    // One row: the 44 px menu button and the padding around it.
    expect(header?.height ?? Infinity, `at ${width} px`).toBeLessThanOrEqual(80);
  }
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeHidden();
  await page.getByText("Menu", { exact: true }).click();
  await expect(nav).toBeVisible();
  // The language switch has no room beside the menu button, so it is the menu's last item.
  await expect(page.locator(".header-inner > .language-switch")).toBeHidden();
  await expect(nav.getByRole("link", { name: "Español" })).toBeVisible();
  await nav.getByRole("link", { name: "Take action" }).click();
  await expect(page).toHaveURL("/take-action");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await context.close();
});

test("the pledge instructions: values on one line, copied in one tap, and a code to scan", async ({
  site,
  banner,
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.setViewportSize(PHONE);
  await site.open("/donate");
  await banner.rejectAll.click();
  const donation = new DonationForm(page);
  await donation.ready();
  await donation.fill({ amount: "€25", name: "Rosa Parks", email: "rosa.qr@example.org" });
  await donation.submit.click();
  await expect(donation.thanks).toBeVisible();

  // One line each, in a face where 0 and O differ.
  for (const value of [donation.reference, page.locator(".bank-details .iban .copyable-value")]) {
    const box = await value.boundingBox();
    const lineHeight = await value.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
    expect(box?.height ?? Infinity).toBeLessThanOrEqual(lineHeight * 1.2);
    expect(await value.evaluate((element) => getComputedStyle(element).fontFamily)).toContain("monospace");
  }
  const reference = (await donation.reference.textContent()) ?? "";
  await page.getByRole("button", { name: "Copy the reference" }).click();
  await expect(page.locator(".reference [role=status]")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reference);

  const code = page.getByRole("img", { name: "QR code of this transfer" });
  await expect(code.locator("svg")).toBeVisible();
  // The page without JavaScript, reached again, carries the same code.
  await site.open(`/donate/thanks/${reference}`);
  await expect(page.getByRole("img", { name: "QR code of this transfer" }).locator("svg")).toBeVisible();
});

test("/take-action states the call before asking for a signature", async ({ site, page }) => {
  await site.open("/take-action");
  const text = page.locator(".call-text");
  await expect(text.getByRole("heading", { name: "What you sign: four principles" })).toBeVisible();
  await expect(text.locator(".principles li")).toHaveCount(4);
  for (const item of await text.locator(".principles li").all()) {
    // A name and a sentence saying what it asks.
    expect(((await item.textContent()) ?? "").length).toBeGreaterThan(40);
  }
  await expect(text.getByRole("heading", { name: "What signing means" })).toBeVisible();
  // "Why it matters" names its subject before any "he".
  const why = text.locator("section", { has: page.getByRole("heading", { name: "Why it matters" }) });
  await expect(why.locator("p").first()).toContainText("Wim Kok");
  await expect(why.locator("p").first()).not.toContainText(/^His /);
});

/** The pages a reviewer looks at first, saved as the run's artifacts at both sizes. */
for (const [name, viewport] of [
  ["390", PHONE],
  ["1280", DESKTOP],
] as const) {
  test(`screenshots at ${name} px`, async ({ site, banner, page }, testInfo) => {
    test.setTimeout(60_000);
    await page.setViewportSize(viewport);
    const shots: [string, string][] = [
      ["home", "/"],
      ["post", SEED_POST],
      ["take-action", "/take-action"],
      ["donate", "/donate"],
    ];
    for (const [shot, path] of shots) {
      await site.open(path);
      await expect(banner.region).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`${shot}-${name}-banner.png`) });
      await page.screenshot({ path: testInfo.outputPath(`${shot}-${name}.png`), fullPage: true });
    }
    await banner.rejectAll.click();
    const donation = new DonationForm(page);
    await donation.ready();
    await donation.fill({ amount: "€50", name: "Ada Lovelace", email: `ada.${name}@example.org` });
    await donation.submit.click();
    await expect(donation.thanks).toBeVisible();
    const reference = (await donation.reference.textContent()) ?? "";
    await site.open(`/donate/thanks/${reference}`);
    await page.screenshot({ path: testInfo.outputPath(`thanks-${name}.png`), fullPage: true });
  });
}
