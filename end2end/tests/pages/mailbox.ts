import { expect } from "@playwright/test";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The site's outgoing mail: with no SMTP_URL the server writes every message as an .eml file
 * to MAIL_DIR, which the test runner is told about (see .ci/test).
 */
export class Mailbox {
  constructor(readonly dir = process.env.MAIL_DIR ?? path.join(__dirname, "../../../data/mail")) {}

  /** Every message to `address`, decoded. */
  async messagesTo(address: string): Promise<string[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.endsWith(".eml"));
    } catch {
      return [];
    }
    const messages = await Promise.all(
      names.map(async (name) => decodeQuotedPrintable(await readFile(path.join(this.dir, name), "utf8"))),
    );
    return messages.filter((message) => message.includes(`\r\nTo: ${address}\r\n`));
  }

  /** Waits for the first message to `address` and returns the confirmation link in it. */
  async confirmationLink(address: string): Promise<string> {
    let messages: string[] = [];
    await expect
      .poll(async () => (messages = await this.messagesTo(address)).length, {
        message: `a message to ${address}`,
      })
      .toBeGreaterThan(0);
    const link = messages[0].match(/https?:\/\/\S+\/take-action\/confirm\/[A-Za-z0-9_-]+/);
    expect(link, "a confirmation link in the message").not.toBeNull();
    return new URL(link![0]).pathname;
  }
}

function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, "");
  const bytes = Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  );
  return bytes.toString("utf8");
}

/** An address no other test or earlier run has used. */
export function uniqueAddress(label: string): string {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}
