import { expect, test } from "./fixtures";
import { staff } from "./pages/donation-form";
import { SEED_POST } from "./pages/post-page";
import { SITE_PAGES } from "./pages/site";


test.describe("under the Content-Security-Policy", () => {
  for (const path of [...SITE_PAGES, "/no/such/page"]) {
    test(`${path} hydrates and nothing is refused`, async ({ page, site, consoleErrors }) => {
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener("securitypolicyviolation", (event) =>
          seen.push(`${event.violatedDirective} ${event.blockedURI}`),
        );
      });
      const response = await page.goto(path);
      // Scripts allowed by hash: the same bytes for every visitor, and no nonce to leak.
      const policy = response?.headers()["content-security-policy"] ?? "";
      expect(policy).toContain("'sha256-");
      expect(policy).not.toContain("nonce");
      await site.waitForHydration();
      // Interaction proves the wasm runs: the banner answers.
      await page.getByRole("region", { name: "Cookie consent" }).getByRole("button", { name: "Reject all" }).click();
      await expect(page.getByRole("region", { name: "Cookie consent" })).toBeHidden();
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
      if (path === "/no/such/page") {
        expect(consoleErrors).toEqual([expect.stringContaining("404")]);
        consoleErrors.length = 0;
      }
    });
  }

  test("a video loads inside the policy once allowed", async ({ page, site, banner }) => {
    await page.route("https://www.youtube-nocookie.com/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>video</title>" }),
    );
    const violations: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) violations.push(message.text());
    });
    await site.open(SEED_POST);
    await banner.acceptAll.click();
    await expect(page.locator("figure.embed iframe")).toBeVisible();
    expect(violations).toEqual([]);
  });
});

test("the site's own files have hashed names and are kept for a year; pages are revalidated", async ({ page, request }) => {
  const loaded: string[] = [];
  page.on("response", (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith("/pkg/")) loaded.push(pathname);
  });
  const response = await page.goto("/");
  // The same bytes for everyone: a browser asks again with the ETag before using its copy.
  expect(response?.headers()["cache-control"]).toMatch(/^public, max-age=0,/);
  expect(response?.headers()["etag"]).toMatch(/^"[A-Za-z0-9_-]+(-br\d+|-gz)?"$/);
  // The stylesheet with the page; the JS and the wasm once the browser is idle, to hydrate.
  await expect(page.locator('main[data-hydrated="true"]')).toBeAttached();
  const app = loaded.filter((href) => href.startsWith("/pkg/shared-societies."));
  expect(app.map((href) => href.split(".").pop()).sort()).toEqual(["css", "js", "wasm"]);
  // The forms have no code of their own: the page's script sends them.
  const firstView = loaded.length;
  await page.goto("/donate");
  await page.locator("form.donation-form button[type=submit]").scrollIntoViewIfNeeded();
  await expect(page.locator("form.donation-form")).toHaveAttribute("data-enhanced", "true");
  expect(loaded.slice(firstView).filter((href) => href.endsWith(".wasm") && !href.startsWith("/pkg/shared-societies."))).toEqual([]);
  for (const href of loaded) {
    expect(href).toMatch(/^\/pkg\/[a-z0-9_-]+\.[A-Za-z0-9_-]{22}\.(css|js|wasm|json)$/);
    const asset = await request.get(href);
    expect(asset.status()).toBe(200);
    expect(asset.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  }
});

test("a form on another site cannot sign the call in a visitor's name", async ({ page, baseURL, consoleErrors }) => {
  const email = `csrf-${Date.now()}@example.org`;
  // A page of another origin, as an attacker would host it, posting to this site.
  await page.route("http://evil.test/", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><html lang="en"><title>Win a prize</title>
        <form method="post" action="${baseURL}/api/sign-the-call">
          <input name="form[full_name]" value="Forged Name"><input name="form[email]" value="${email}">
          <input name="form[kind]" value="person"><input name="form[country]" value="ES">
          <input name="form[consent_version]" value="1"><button>Claim</button>
        </form>`,
    }),
  );
  await page.goto("http://evil.test/");
  await page.getByRole("button", { name: "Claim" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This form was sent from another site");
  expect(staff("export", "signups")).not.toContain(email);
  expect(consoleErrors).toEqual([expect.stringContaining("403")]);
  consoleErrors.length = 0;
});
