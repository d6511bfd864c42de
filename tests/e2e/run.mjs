// End-to-end: a loopback vendor replays an incident, the real `statuswatch`
// binary polls it and serves the pages, and headless Chromium (Debian's, driven
// by playwright-core) checks what a person sees. Optionally runs schemathesis
// against the same server and saves screenshots.
//
// Environment:
//   STATUSWATCH_BIN   the binary to test (required)
//   CHROMIUM          the browser (default /usr/bin/chromium)
//   SCHEMATHESIS      the schemathesis executable; skipped when unset
//   SCREENSHOTS_DIR   where to save screenshots; none when unset

import { chromium } from "playwright-core";
import { spawn, execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { mkdtempSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "..", "crates", "sources", "tests", "fixtures", "statuspage_api");
const bin = process.env.STATUSWATCH_BIN;
if (!bin) throw new Error("STATUSWATCH_BIN is not set");
const fixture = (name) => JSON.parse(readFileSync(join(fixtures, name), "utf8"));

const HOSTILE = "<img src=x onerror=alert(1)>";

// --- The vendor: two Statuspage pages; /acme/ moves through a replay. -------
const cursor = fixture("cursor__summary_2026-09-25_incident.json");
const github = fixture("github__summary_2026-07-01.json");
const githubIncidents = fixture("github__incidents_2026-08-18.json");
let stage = 1;

function acmeIncident() {
  const inc = structuredClone(cursor.incidents[0]);
  inc.name = HOSTILE;
  inc.impact = "major";
  const first = inc.incident_updates[inc.incident_updates.length - 1];
  first.body = "<script>alert(2)</script> We are investigating.";
  if (stage >= 2) {
    const t = new Date(Date.parse(first.created_at) + 20 * 60 * 1000).toISOString();
    inc.status = "identified";
    inc.incident_updates = [
      { ...first, id: "e2e-identified", status: "identified", body: "The cause is identified.", created_at: t, display_at: t, updated_at: t },
      first,
    ];
  }
  return inc;
}

const vendor = createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  const json = (v) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(v));
  };
  switch (path) {
    case "/acme/api/v2/summary.json":
      return json({ ...cursor, incidents: [acmeIncident()] });
    case "/acme/api/v2/incidents.json":
      return json({ page: cursor.page, incidents: [acmeIncident()] });
    case "/acme/api/v2/scheduled-maintenances.json":
    case "/beta/api/v2/scheduled-maintenances.json":
      return json({ page: cursor.page, scheduled_maintenances: [] });
    case "/beta/api/v2/summary.json":
      return json(github);
    case "/beta/api/v2/incidents.json":
      return json(githubIncidents);
    default:
      res.writeHead(404);
      res.end("not found");
  }
});
await new Promise((r) => vendor.listen(0, "127.0.0.1", r));
const vendorUrl = `http://127.0.0.1:${vendor.address().port}`;

// --- statuswatch: add, poll through the replay, serve. ----------------------
const dir = mkdtempSync(join(tmpdir(), "statuswatch-e2e-"));
const env = { ...process.env, STATUSWATCH_DB: join(dir, "e2e.db"), STATUSWATCH_LOG: "warn" };
// Asynchronously: the vendor answers from this same event loop.
const run = promisify(execFile);
const sw = (...args) => run(bin, args, { env, encoding: "utf8" });
await sw("add", `${vendorUrl}/acme/`, "--platform", "statuspage", "--name", "Acme");
await sw("add", `${vendorUrl}/beta/`, "--platform", "statuspage", "--name", "GitHub");
await sw("poll");
stage = 2;
await sw("poll");
// A page of one's own, with a watched vendor's component on it.
await sw("page", "add", "ours", "--title", "Our Status");
await sw("page", "component", "add", "ours", "API");
await sw("page", "external", "add", "ours", "Acme", "--component", "Grok Bot", "--label", "Acme Grok Bot");

// --- A mail server on loopback that keeps every mail (subscribers'). --------
const mails = [];
const smtp = createTcpServer((sock) => {
  let buf = "";
  let inData = false;
  let mail = { to: [], data: "" };
  sock.write("220 e2e ESMTP\r\n");
  sock.on("data", (chunk) => {
    buf += chunk.toString("utf8");
    for (;;) {
      if (inData) {
        const end = buf.indexOf("\r\n.\r\n");
        if (end < 0) return;
        mail.data = buf.slice(0, end).replace(/\r\n\.\./g, "\r\n.");
        buf = buf.slice(end + 5);
        inData = false;
        mails.push(mail);
        mail = { to: [], data: "" };
        sock.write("250 queued\r\n");
        continue;
      }
      const nl = buf.indexOf("\r\n");
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 2);
      const up = line.toUpperCase();
      if (up.startsWith("EHLO") || up.startsWith("HELO")) sock.write("250-e2e\r\n250 8BITMIME\r\n");
      else if (up.startsWith("RCPT TO:")) {
        mail.to.push(line.slice(8).trim().replace(/[<>]/g, ""));
        sock.write("250 ok\r\n");
      } else if (up === "DATA") {
        inData = true;
        sock.write("354 go on\r\n");
      } else if (up === "QUIT") {
        sock.end("221 bye\r\n");
        return;
      } else sock.write("250 ok\r\n");
    }
  });
  sock.on("error", () => {});
});
await new Promise((r) => smtp.listen(0, "127.0.0.1", r));
// A mail's body as text: quoted-printable soft breaks and escapes undone.
const mailText = (m) => m.data.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
async function mailTo(address, n) {
  for (let i = 0; i < 200; i++) {
    const got = mails.filter((m) => m.to.includes(address));
    if (got.length >= n) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail #${n} to ${address}; mails: ${mails.length}`);
}

const port = 20000 + Math.floor(Math.random() * 20000);
const token = "e2e-admin-token-0123456789";
const base = `http://127.0.0.1:${port}`;
const config = join(dir, "e2e.toml");
writeFileSync(
  config,
  `[web]\npublic_url = "${base}"\n\n[pages]\nmail = "mail"\n\n[[channel]]\nname = "mail"\nkind = "email"\n` +
    `smtp_host = "127.0.0.1"\nsmtp_port = ${smtp.address().port}\nsmtp_security = "none"\n` +
    `from = "status@e2e.example"\nto = ["ops@e2e.example"]\n`,
);
const server = spawn(bin, ["--config", config, "serve", "--listen", `127.0.0.1:${port}`, "--interval", "1h", "--admin-token", token], { env, stdio: "inherit" });
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {}
  if (i > 100) throw new Error("serve did not start");
  await new Promise((r) => setTimeout(r, 100));
}

let failed = 0;
const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push(`ok   ${name}`);
  } catch (e) {
    failed++;
    results.push(`FAIL ${name}: ${e.stack || e}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const shots = process.env.SCREENSHOTS_DIR || "";
if (shots) mkdirSync(shots, { recursive: true });
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
const dialogs = [];
page.on("dialog", async (d) => {
  dialogs.push(d.message());
  await d.dismiss();
});

try {
  await check("the dashboard after the replay shows each provider's state", async () => {
    await page.goto(`${base}/`);
    assert.equal(await page.locator('tr[data-provider="Cursor"] .state').getAttribute("data-state"), "outage");
    assert.equal(await page.locator('tr[data-provider="GitHub"] .state').getAttribute("data-state"), "operational");
    assert.equal(await page.locator("table.incidents tr[data-incident]").count(), 1, "one open incident");
    if (shots) await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
  });

  await check("a hostile vendor title renders as text", async () => {
    const link = page.locator("table.incidents tr[data-incident] a").first();
    assert.equal(await link.textContent(), HOSTILE);
    assert.equal(await page.locator("img").count(), 0, "no <img> element was created");
    assert.deepEqual(dialogs, [], "no script ran");
  });

  await check("an incident page shows the timeline", async () => {
    await page.locator("table.incidents tr[data-incident] a").first().click();
    await page.waitForSelector("ol.timeline");
    const labels = await page.locator("ol.timeline .label").allTextContents();
    assert.deepEqual(labels, ["Investigating", "Identified"]);
    const first = await page.locator("ol.timeline .body").first().textContent();
    assert.ok(first.startsWith("<script>alert(2)</script>"), first);
    assert.equal(await page.locator("h1").textContent(), HOSTILE);
    assert.match(await page.locator("body").textContent(), /Detected by statuswatch/);
    assert.deepEqual(dialogs, []);
    if (shots) await page.screenshot({ path: join(shots, "incident.png"), fullPage: true });
  });

  await check("a filter on a provider page narrows its history", async () => {
    await page.goto(`${base}/`);
    await page.locator('tr[data-provider="GitHub"] a').click();
    await page.waitForSelector("svg.bars");
    assert.equal(await page.locator("table.incidents tr[data-incident]").count(), 5);
    await page.selectOption('select[name="impact"]', "minor");
    await page.locator('form.filters button[type="submit"]').click();
    await page.waitForURL(/impact=minor/);
    const impacts = await page.locator("table.incidents tr[data-incident] .badge").allTextContents();
    assert.deepEqual(impacts, ["minor", "minor", "minor"]);
    assert.equal(await page.locator(".n-incidents").textContent(), "3");
    if (shots) await page.screenshot({ path: join(shots, "provider.png"), fullPage: true });
  });

  await check("search finds an incident by its update text", async () => {
    await page.goto(`${base}/search`);
    await page.fill('input[name="q"]', "fable");
    await page.press('input[name="q"]', "Enter");
    await page.waitForSelector(".result-count");
    assert.equal(await page.locator("table.incidents tr[data-incident]").count(), 1);
    if (shots) await page.screenshot({ path: join(shots, "search.png"), fullPage: true });
  });

  await check("the dashboard is readable on a phone", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(`${base}/`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
    if (shots) await phone.screenshot({ path: join(shots, "dashboard-phone.png"), fullPage: true });
    await phone.close();
  });

  await check("badges and stats render", async () => {
    await page.goto(`${base}/stats`);
    assert.ok((await page.locator("svg.chart").count()) >= 1);
    if (shots) await page.screenshot({ path: join(shots, "stats.png"), fullPage: true });
    const badge = await (await fetch(`${base}/badge/Acme.svg`)).text();
    assert.match(badge, /outage/);
  });

  await check("one's own page shows a watched vendor's outage, linked to its incident", async () => {
    await page.goto(`${base}/status/ours`);
    assert.equal(await page.locator("h1").textContent(), "Our Status");
    assert.equal(await page.locator('[data-component="API"]').textContent(), "operational");
    const vendor = page.locator('[data-external="Acme Grok Bot"]');
    assert.equal(await vendor.textContent(), "Degraded");
    assert.match(await vendor.getAttribute("class"), /degraded/);
    if (shots) await page.screenshot({ path: join(shots, "status-page.png"), fullPage: true });
    await page.locator("table.externals a[href^='/incidents/']").first().click();
    await page.waitForSelector("ol.timeline");
    assert.equal(await page.locator("h1").textContent(), HOSTILE);
    assert.deepEqual(dialogs, []);
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(`${base}/status/ours`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
    await phone.close();
  });

  await check("a page is made and run from the admin web UI", async () => {
    const admin = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await admin.goto(`${base}/admin`);
    await admin.fill('input[name="token"]', token);
    await admin.locator("form.login button").click();
    await admin.locator('a[href="/admin/pages"]').click();
    await admin.fill('input[name="slug"]', "team");
    await admin.fill('input[name="title"]', "Team Status");
    await admin.locator('form[action="/admin/pages"] button').click();
    await admin.waitForURL(/\/admin\/pages\/team$/);
    await admin.fill('form[action="/admin/pages/team/component"] input[name="name"]', "Login");
    await admin.locator('form[action="/admin/pages/team/component"] button').click();
    assert.match(await admin.locator("p.message").textContent(), /Added the component Login/);
    await admin.fill('form[action="/admin/pages/team/component"] input[name="name"]', "Typo");
    await admin.locator('form[action="/admin/pages/team/component"] button').click();
    await admin.locator('form[action="/admin/pages/team/component-remove"]:has(input[value="Typo"]) button').click();
    assert.match(await admin.locator("p.message").textContent(), /Took the component Typo off/);
    const open = admin.locator('form[action="/admin/pages/team/incident"]');
    await open.locator('input[name="title"]').fill("Login fails");
    await open.locator('input[name="message"]').fill("Sign-in returns errors.");
    await open.locator('select[name="impact"]').selectOption("major");
    await open.locator('input[name="component"][value="Login"]').check();
    await open.locator("button").click();
    assert.match(await admin.locator("p.message").textContent(), /Opened “Login fails”/);
    if (shots) await admin.screenshot({ path: join(shots, "admin-page.png"), fullPage: true });
    await page.goto(`${base}/status/team`);
    assert.equal(await page.locator('[data-component="Login"]').textContent(), "partial outage");
    assert.match(await page.locator("body").textContent(), /Login fails/);
    // Made private, with a key, from the same form page.
    const set = admin.locator('form[action="/admin/pages/team/set"]');
    await set.locator('input[name="accent"]').fill("#8250df");
    await set.locator('select[name="access"]').selectOption("private");
    await set.locator('input[name="key"]').fill("team-secret-key");
    await set.locator("button").click();
    assert.match(await admin.locator("p.message").textContent(), /Saved/);
    await admin.close();
  });

  await check("a private page is refused without its key, opened with it", async () => {
    const visitor = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const v = await visitor.newPage();
    const resp = await v.goto(`${base}/status/team`);
    assert.equal(resp.status(), 401);
    const heading = await v.locator("h1").textContent();
    assert.equal(heading, "This status page is private, or there is none here");
    // A page that does not exist answers the same: the refusal tells nothing.
    const none = await visitor.newPage();
    assert.equal((await none.goto(`${base}/status/no-such-page`)).status(), 401);
    assert.equal(await none.locator("h1").textContent(), heading);
    await none.close();
    assert.doesNotMatch(await v.locator("body").textContent(), /Login fails/);
    for (const path of ["/status/team/api/v2/summary.json", "/status/team/history.atom"]) {
      assert.equal((await fetch(`${base}${path}`)).status, 401, path);
    }
    const dash = await (await fetch(`${base}/`)).text();
    assert.doesNotMatch(dash, /Login fails|Team Status/, "not on the public dashboard");
    await v.fill('input[name="key"]', "not-the-key");
    await v.locator("form.key button").click();
    assert.match(await v.locator("p.error").textContent(), /does not open/);
    await v.fill('input[name="key"]', "team-secret-key");
    await v.locator("form.key button").click();
    await v.waitForURL(/\/status\/team$/);
    assert.match(await v.locator("body").textContent(), /Login fails/);
    const accent = await v.evaluate(() => getComputedStyle(document.querySelector("header.own")).borderBottomColor);
    assert.equal(accent, "rgb(130, 80, 223)", "the page's accent");
    if (shots) await v.screenshot({ path: join(shots, "status-page-private.png"), fullPage: true });
    await visitor.close();
  });

  await check("a subscriber confirms by email and unsubscribes in one click", async () => {
    const who = "reader@e2e.example";
    const s = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await s.goto(`${base}/status/ours`);
    await s.fill('form.subscribe input[name="email"]', who);
    await s.locator('form.subscribe input[name="component"][value="API"]').check();
    await s.locator("form.subscribe button").click();
    assert.equal(await s.locator("h1").textContent(), "Check your inbox");
    const [confirmation] = await mailTo(who, 1);
    const confirmUrl = mailText(confirmation).match(/http:\/\/\S+\/subscribers\/confirm\?token=[a-z0-9]+/)[0];
    let subs = JSON.parse((await sw("page", "subscribers", "ours", "--json")).stdout);
    assert.equal(subs[0].confirmed_at, null, "pending until the link is followed");
    await s.goto(confirmUrl);
    await s.locator("form button").click();
    assert.equal(await s.locator("h1").textContent(), "Subscribed");
    subs = JSON.parse((await sw("page", "subscribers", "ours", "--json")).stdout);
    assert.ok(subs[0].confirmed_at, "confirmed");
    await sw("page", "incident", "open", "ours", "--title", "API slow", "--message", "Looking.", "--component", "API");
    const [, note] = await mailTo(who, 2);
    const text = mailText(note);
    assert.match(text, /New incident: API slow/);
    // A header is not quoted-printable: read it from the raw mail (unfolded),
    // not from mailText, which would take a token's "=12…" for an escape.
    const headers = note.data.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
    const unsubscribe = headers.match(/List-Unsubscribe: *<([^>]+)>/)[1];
    await s.goto(unsubscribe);
    await s.locator("form button").click();
    assert.equal(await s.locator("h1").textContent(), "Unsubscribed");
    if (shots) await s.screenshot({ path: join(shots, "unsubscribed.png"), fullPage: true });
    assert.deepEqual(JSON.parse((await sw("page", "subscribers", "ours", "--json")).stdout), []);
    await s.close();
  });

  if (process.env.SCHEMATHESIS) {
    await check("schemathesis finds no server error or schema mismatch", async () => {
      const st = process.env.SCHEMATHESIS;
      const common = ["run", `${base}/api/v1/openapi.json`, "--checks", "all", "-H", `Authorization: Bearer ${token}`, "--max-time", process.env.SCHEMATHESIS_SECONDS || "30", "--no-color"];
      // Adding a source depends on the vendor answering, which no schema can say,
      // so that one operation is not held to "valid input must be accepted".
      // Likewise a page's writes: input the schema allows is refused for
      // the state it meets (a slug taken, a page or component missing, an
      // incident not resolved before its postmortem).
      const stateful = ["POST /api/v1/sources", "POST /api/v1/pages", "PATCH /api/v1/pages/{slug}",
        "POST /api/v1/pages/{slug}/components", "POST /api/v1/pages/{slug}/incidents",
        "POST /api/v1/pages/{slug}/incidents/{id}/updates", "POST /api/v1/pages/{slug}/incidents/{id}/postmortem",
        "POST /api/v1/pages/{slug}/maintenances", "POST /api/v1/pages/{slug}/maintenances/{id}/updates",
        "POST /api/v1/pages/{slug}/externals"];
      for (const args of [
        [...common, ...stateful.flatMap((n) => ["--exclude-name", n])],
        [...common, "--exclude-checks", "positive_data_acceptance", ...stateful.flatMap((n) => ["--include-name", n])],
      ]) {
        try {
          await run(st, args, { encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } });
        } catch (e) {
          throw new Error(`schemathesis failed:\n${e.stdout}\n${e.stderr}`);
        }
      }
    });
  } else {
    results.push("skip schemathesis (SCHEMATHESIS is not set)");
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
  vendor.close();
  smtp.close();
}

for (const r of results) console.log(r);
console.log(`e2e: ${results.filter((r) => r.startsWith("ok")).length} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
