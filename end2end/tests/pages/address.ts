import { expect } from "@playwright/test";

/** Fails if any of `typed` is in `url`, its escapes and its base64 parameters decoded. */
export function expectNothingTypedIn(url: string, typed: string[]): void {
  const parsed = new URL(url);
  let text = decodeURIComponent(url);
  for (const [, value] of parsed.searchParams) text += Buffer.from(value, "base64").toString("utf8");
  for (const value of typed) expect(text, "what was typed stays out of the address").not.toContain(value);
}
