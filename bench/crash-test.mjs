// Crash test: nothing acknowledged is ever lost, nothing is stored twice, the file stays sound.
//
// Starts the release server on a fresh database, has several clients send sign-ups and
// pledges at once, kills the server with SIGKILL at random moments, restarts it, and at the
// end checks that every write that got a success answer is in the database exactly once and
// that `PRAGMA integrity_check` says ok.
//
//   node bench/crash-test.mjs [kills=20] [clients=6]
//
// Needs the release build (`cargo leptos build --release --precompress --split`) and Debian's sqlite3.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";

const root = path.join(path.dirname(new URL(import.meta.url).pathname), "..");
const kills = Number(process.argv[2] ?? 20);
const clients = Number(process.argv[3] ?? 6);
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const serverBin = process.env.SERVER_BIN ?? path.join(targetDir, "release/server");
const port = Number(process.env.CRASH_PORT ?? 3223);
const base = `http://127.0.0.1:${port}`;
const scratch = mkdtempSync(path.join(tmpdir(), "crash-"));
const database = path.join(scratch, "site.db");

function startServer() {
  const child = spawn(serverBin, [], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${database}`,
      MAIL_DIR: path.join(scratch, "mail"),
      LEPTOS_SITE_ROOT: path.join(root, "target/site"),
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      RATE_LIMIT_BURST: "1000000",
      RATE_LIMIT_PER_MINUTE: "1000000",
      RUST_LOG: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  child.exited = new Promise((resolve) => child.once("exit", resolve));
  return child;
}

async function waitUntilUp() {
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`${base}/take-action`);
      if (response.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the server did not come up");
}

function form(fields) {
  return new URLSearchParams(Object.entries(fields).map(([name, value]) => [`form[${name}]`, value]));
}

const acked = { signups: [], pledges: [] };
let attempts = 0;
let n = 0;

async function client(stop) {
  while (!stop.done) {
    const id = `${process.pid}-${n++}`;
    attempts++;
    const signUp = n % 2 === 0;
    const body = signUp
      ? form({ full_name: "Crash Test", email: `crash-${id}@example.org`, kind: "person", organisation: "", role: "", country: "ES", consent_version: "1", source: "", leave_empty: "" })
      : form({ amount: "25", other_amount: "", frequency: "once", currency: "EUR", full_name: "Crash Test", email: `pledge-${id}@example.org`, message: "", tax_id: "", leave_empty: "", idempotency_key: randomUUID() });
    try {
      const response = await fetch(`${base}/api/${signUp ? "sign-the-call" : "pledge"}`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      if (response.ok) {
        if (signUp) acked.signups.push(body.get("form[email]"));
        else acked.pledges.push(body.get("form[idempotency_key]"));
      } else if (response.status >= 500 && response.status !== 503) {
        throw new Error(`the server answered ${response.status}`);
      }
    } catch (error) {
      if (String(error).includes("the server answered")) throw error;
      // The server died mid-request: no answer, no promise made.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function sql(statement) {
  return execFileSync("sqlite3", ["-cmd", ".timeout 5000", database, statement], { encoding: "utf8" }).trim();
}

let server;
try {
  for (let round = 0; round <= kills; round++) {
    server = startServer();
    await waitUntilUp();
    const stop = { done: false };
    const running = Array.from({ length: clients }, () => client(stop));
    const last = round === kills;
    await new Promise((resolve) => setTimeout(resolve, last ? 1000 : 200 + Math.random() * 1300));
    if (last) {
      stop.done = true;
      await Promise.all(running);
      server.kill("SIGTERM");
    } else {
      server.kill("SIGKILL");
      await new Promise((resolve) => setTimeout(resolve, 100));
      stop.done = true;
      await Promise.all(running);
    }
    await server.exited;
  }

  const script = [
    "CREATE TEMP TABLE acked_signups (email TEXT);",
    "CREATE TEMP TABLE acked_pledges (idempotency_key TEXT);",
    ...acked.signups.map((email) => `INSERT INTO acked_signups VALUES ('${email}');`),
    ...acked.pledges.map((key) => `INSERT INTO acked_pledges VALUES ('${key}');`),
    "SELECT (SELECT count(*) FROM acked_signups a WHERE (SELECT count(*) FROM signups s WHERE s.email = a.email) = 0)",
    "  + (SELECT count(*) FROM acked_pledges a WHERE (SELECT count(*) FROM pledges p WHERE p.idempotency_key = a.idempotency_key) = 0);",
    "SELECT (SELECT count(*) FROM (SELECT email FROM signups GROUP BY campaign, email HAVING count(*) > 1))",
    "  + (SELECT count(*) FROM (SELECT idempotency_key FROM pledges GROUP BY idempotency_key HAVING count(*) > 1));",
    "PRAGMA integrity_check;",
  ].join("\n");
  const [missing, duplicated, integrity] = execFileSync("sqlite3", [database], { input: script, encoding: "utf8" })
    .trim()
    .split("\n");
  const found = Number(sql("SELECT (SELECT count(*) FROM signups) + (SELECT count(*) FROM pledges)"));
  const ackedTotal = acked.signups.length + acked.pledges.length;
  console.log(`crash test: ${kills} kills (SIGKILL), ${clients} clients, ${attempts} writes tried`);
  console.log(`  acknowledged: ${ackedTotal} (${acked.signups.length} sign-ups, ${acked.pledges.length} pledges)`);
  console.log(`  stored: ${found} (acknowledged ones missing: ${missing}, stored twice: ${duplicated})`);
  console.log(`  integrity_check: ${integrity}`);
  if (missing !== "0" || duplicated !== "0" || integrity !== "ok" || ackedTotal === 0) {
    console.error("crash test FAILED");
    process.exitCode = 1;
  }
} finally {
  server?.kill("SIGKILL");
  rmSync(scratch, { recursive: true, force: true });
}
