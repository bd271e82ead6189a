// Several app servers on one PostgreSQL, behind nginx as the load balancer: what one server
// writes, the others show; and under sign-up and pledge load through nginx, with app servers
// killed (SIGKILL) and PostgreSQL stopped as a power cut would stop it, every write answered
// with success is stored (and, by the schema's unique keys, once).
//
//   node bench/cluster-test.mjs [rounds=12] [clients=6]
//
// Needs the release build (`cargo leptos build --release --precompress --split`), Debian's
// postgresql (through .ci/postgres) and nginx.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";

const root = path.join(path.dirname(new URL(import.meta.url).pathname), "..");
const rounds = Number(process.argv[2] ?? 12);
const clients = Number(process.argv[3] ?? 6);
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const serverBin = process.env.SERVER_BIN ?? path.join(targetDir, "release/server");
const nginxBin = process.env.NGINX ?? "/usr/sbin/nginx";
const basePort = Number(process.env.CLUSTER_PORT ?? 3331);
const ports = [basePort + 1, basePort + 2, basePort + 3];
const balancer = `http://127.0.0.1:${basePort}`;
const scratch = mkdtempSync(path.join(tmpdir(), "cluster-"));
// A folder of its own: as root, .ci/postgres hands it to the postgres user, who cannot enter
// the scratch folder.
const pgDir = mkdtempSync(path.join(tmpdir(), "cluster-pg-"));
const contentDir = path.join(scratch, "content");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function postgres(command) {
  return execFileSync(path.join(root, ".ci/postgres"), [command, pgDir], { encoding: "utf8" }).trim();
}

function psql(url, statement) {
  return execFileSync("psql", [url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement], { encoding: "utf8" }).trim();
}

const servers = [];
let databaseUrl;
let nginx;

function startServer(i) {
  const child = spawn(serverBin, [], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MAIL_DIR: path.join(scratch, `mail-${i}`),
      CONTENT_DIR: contentDir,
      LEPTOS_SITE_ROOT: path.join(root, "target/site"),
      LEPTOS_SITE_ADDR: `127.0.0.1:${ports[i]}`,
      TRUSTED_PROXIES: "127.0.0.1",
      RATE_LIMIT_BURST: "1000000",
      RATE_LIMIT_PER_MINUTE: "1000000",
      RUST_LOG: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  child.exited = new Promise((resolve) => child.once("exit", resolve));
  servers[i] = child;
  return child;
}

async function waitUntilUp(origin) {
  for (let i = 0; i < 400; i++) {
    try {
      const response = await fetch(`${origin}/take-action`);
      if (response.ok) return;
    } catch {}
    await sleep(50);
  }
  throw new Error(`${origin} did not come up`);
}

async function startNginx() {
  const dir = path.join(scratch, "nginx");
  mkdirSync(path.join(dir, "tmp"), { recursive: true });
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((kind) => `${kind}_temp_path ${path.join(dir, "tmp", kind)};`)
    .join("\n  ");
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${path.join(dir, "nginx.pid")};
error_log ${path.join(dir, "error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp}
  upstream app {
    ${ports.map((port) => `server 127.0.0.1:${port} max_fails=0;`).join("\n    ")}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${basePort};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      # A server that refuses the connection (killed) passes the request on; one that took a
      # POST and died answers 502, and the client knows nothing was promised.
      proxy_next_upstream error timeout;
    }
  }
}
`,
  );
  const user = process.getuid?.() === 0 ? ["-g", "daemon off; user root;"] : ["-g", "daemon off;"];
  nginx = spawn(nginxBin, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", conf, ...user], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitUntilUp(balancer);
}

function form(fields) {
  return new URLSearchParams(Object.entries(fields).map(([name, value]) => [`form[${name}]`, value]));
}

function signature(email) {
  return form({ full_name: "Cluster Test", email, kind: "person", organisation: "", role: "", country: "ES", consent_version: "1", source: "", leave_empty: "" });
}

/** Every message the servers wrote, quoted-printable undone. */
function mails() {
  return ports.flatMap((_, i) => {
    const dir = path.join(scratch, `mail-${i}`);
    let names = [];
    try {
      names = readdirSync(dir).filter((name) => name.endsWith(".eml"));
    } catch {}
    return names.map((name) =>
      readFileSync(path.join(dir, name), "utf8")
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))),
    );
  });
}

/** Milliseconds until `origin`'s `page` shows `text`, or a failure after `limit`. */
async function shownWithin(origin, page, text, limit) {
  const start = Date.now();
  for (;;) {
    const html = await (await fetch(`${origin}${page}`)).text();
    if (html.includes(text)) return Date.now() - start;
    if (Date.now() - start > limit) throw new Error(`${origin}${page} did not show "${text}" within ${limit} ms`);
    await sleep(20);
  }
}

const origin = (i) => `http://127.0.0.1:${ports[i]}`;
const failures = [];
function check(ok, what) {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

async function acrossServers() {
  console.log("== three servers on one database");
  const signed = await fetch(`${origin(0)}/api/sign-the-call`, {
    method: "POST",
    redirect: "manual",
    headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded", referer: `${origin(0)}/take-action` },
    body: signature("ana@example.org"),
  });
  const redirected = (status) => status >= 300 && status < 400;
  check(redirected(signed.status), `signed on server 1 without JavaScript (${signed.status})`);
  let sent = [];
  for (let i = 0; i < 200 && sent.length === 0; i++) {
    await sleep(25);
    sent = mails();
  }
  await sleep(1000);
  sent = mails();
  check(sent.length === 1, `one confirmation mail in all, from whichever server claimed it (${sent.length})`);
  const link = sent[0]?.match(/\/take-action\/confirm\/[A-Za-z0-9_-]+/)?.[0];
  const token = link?.split("/").pop();
  const confirmed = await fetch(`${origin(1)}/api/confirm-signature`, {
    method: "POST",
    redirect: "manual",
    headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded", referer: `${origin(1)}${link}` },
    body: new URLSearchParams({ token }),
  });
  check(redirected(confirmed.status), `confirmed through server 2 (${confirmed.status})`);
  const counted = await shownWithin(origin(2), "/take-action", "1 signature so far", 1000);
  check(counted <= 1000, `server 3 counts it after ${counted} ms`);

  mkdirSync(path.join(contentDir, "posts"), { recursive: true });
  writeFileSync(
    path.join(contentDir, "posts/harbours.md"),
    '+++\ntitle = "Harbours of many people"\nslug = "harbours"\ndate = 2021-05-01\nsummary = "S"\n+++\n\nWords about harbours.\n',
  );
  execFileSync(serverBin, ["import"], { env: { ...process.env, DATABASE_URL: databaseUrl, CONTENT_DIR: contentDir, RUST_LOG: "error" } });
  const seen = [];
  for (let i = 0; i < 3; i++) seen.push(await shownWithin(origin(i), "/news", "Harbours of many people", 1000));
  check(seen.every((ms) => ms <= 1000), `\`server import\` seen on all three within ${Math.max(...seen)} ms`);
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
      ? signature(`crash-${id}@example.org`)
      : form({ amount: "25", other_amount: "", frequency: "once", currency: "EUR", full_name: "Crash Test", email: `pledge-${id}@example.org`, message: "", tax_id: "", leave_empty: "", idempotency_key: randomUUID() });
    try {
      const response = await fetch(`${balancer}/api/${signUp ? "sign-the-call" : "pledge"}`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      if (response.ok) {
        if (signUp) acked.signups.push(body.get("form[email]"));
        else acked.pledges.push(body.get("form[idempotency_key]"));
      } else if (response.status >= 500 && ![502, 503, 504].includes(response.status)) {
        throw new Error(`the server answered ${response.status}`);
      } else {
        await sleep(20);
      }
    } catch (error) {
      if (String(error).includes("the server answered")) throw error;
      await sleep(20);
    }
  }
}

async function crashes() {
  console.log(`== under load through nginx: ${rounds} rounds, ${clients} clients`);
  const stop = { done: false };
  const running = Array.from({ length: clients }, () => client(stop));
  let killedServers = 0;
  const unavailable = [];
  let databaseCrashes = 0;
  for (let round = 0; round < rounds; round++) {
    await sleep(300 + Math.random() * 700);
    if (round % 4 === 3) {
      // PostgreSQL goes down as a power cut takes it, and comes back after a moment.
      postgres("crash");
      databaseCrashes++;
      await sleep(300 + Math.random() * 700);
      // Asked while the database is down: 503 with Retry-After, never a hang or a 500.
      const begun = Date.now();
      const down = await fetch(`${origin(round % 3)}/api/sign-the-call`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: signature(`while-down-${round}@example.org`),
      });
      unavailable.push({ status: down.status, retryAfter: down.headers.get("retry-after"), ms: Date.now() - begun });
      postgres("resume");
    } else {
      const i = Math.floor(Math.random() * servers.length);
      servers[i].kill("SIGKILL");
      await servers[i].exited;
      killedServers++;
      startServer(i);
      await waitUntilUp(origin(i));
    }
  }
  await sleep(1000);
  stop.done = true;
  await Promise.all(running);
  check(
    unavailable.length > 0 && unavailable.every((answer) => answer.status === 503 && answer.retryAfter && answer.ms < 10_000),
    `with PostgreSQL down a write is answered 503 with Retry-After (${JSON.stringify(unavailable)})`,
  );
  // Every server recovers by itself once the database is back.
  for (let i = 0; i < servers.length; i++) {
    let status = 0;
    for (let tries = 0; tries < 100 && status !== 200; tries++) {
      const response = await fetch(`${origin(i)}/api/sign-the-call`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: signature(`after-${i}@example.org`),
      });
      status = response.status;
      if (status !== 200) await sleep(100);
    }
    check(status === 200, `server ${i + 1} takes sign-ups again after the crashes (${status})`);
  }

  const missing = (table, column, values) =>
    values.length === 0
      ? 0
      : Number(
          psql(
            databaseUrl,
            `SELECT count(*) FROM unnest(ARRAY[${values.map((v) => `'${v}'`).join(",")}]) AS a(v)
             WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE ${column} = a.v)`,
          ),
        );
  const lost = missing("signups", "email", acked.signups) + missing("pledges", "idempotency_key", acked.pledges);
  const stored = Number(psql(databaseUrl, "SELECT (SELECT count(*) FROM signups) + (SELECT count(*) FROM pledges)"));
  const ackedTotal = acked.signups.length + acked.pledges.length;
  console.log(`  ${killedServers} app servers killed (SIGKILL), PostgreSQL stopped immediately ${databaseCrashes} times, ${attempts} writes tried`);
  console.log(`  acknowledged: ${ackedTotal} (${acked.signups.length} sign-ups, ${acked.pledges.length} pledges); stored: ${stored}`);
  check(ackedTotal > 0, "writes were acknowledged");
  check(lost === 0, `every acknowledged write is stored (missing: ${lost})`);
  // Stored at most once is the schema's to keep (unique addresses and pledge keys); a
  // duplicate would have been refused, and its sender answered an error, not counted here.
}

try {
  const clusterUrl = postgres("start");
  psql(clusterUrl, "CREATE DATABASE site");
  databaseUrl = clusterUrl.replace(/\/postgres$/, "/site");
  // The first server makes the schema; the others find it made (they may also race it: the
  // migrator takes a lock).
  ports.forEach((_, i) => startServer(i));
  await Promise.all(ports.map((_, i) => waitUntilUp(origin(i))));
  await startNginx();
  await acrossServers();
  await crashes();
} catch (error) {
  console.error(error);
  failures.push(String(error));
} finally {
  for (const server of servers) server?.kill("SIGTERM");
  nginx?.kill("SIGTERM");
  await Promise.all(servers.map((server) => server?.exited));
  try {
    postgres("stop");
  } catch {}
  rmSync(scratch, { recursive: true, force: true });
  rmSync(pgDir, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`cluster test FAILED: ${failures.join("; ")}`);
  process.exitCode = 1;
} else {
  console.log("cluster test: passed");
}
