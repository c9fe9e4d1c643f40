// The harness of the real-browser tests: a real Latchkey server process on a free loopback port
// with a fresh data directory, a small static HTTP server for the test pages (another origin,
// as an app's pages would be), Debian's Chromium driven through playwright-core, and one CDP
// virtual authenticator per page.
//
// Environment: LATCHKEY_BIN (default target/debug/latchkey under the repository root),
// CHROMIUM (default /usr/bin/chromium), E2E_SCREENSHOTS (default target/e2e-screenshots).

import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
export const screenshotDir = path.resolve(
  repoRoot,
  process.env.E2E_SCREENSHOTS || "target/e2e-screenshots",
);

/** A TCP port nobody listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the already-built server: `latchkey serve --dev` on a free port with a fresh data
 * directory. Resolves once `/health` answers.
 */
export async function startServer({ env: extraEnv = {} } = {}) {
  const bin = path.resolve(repoRoot, process.env.LATCHKEY_BIN || "target/debug/latchkey");
  if (!existsSync(bin)) {
    throw new Error(`no server binary at ${bin}: build it with 'cargo build -p latchkey'`);
  }
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "latchkey-e2e-"));
  const adminKey = `lk_admin_e2e-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const url = `http://localhost:${port}`;
  const log = [];
  // Nothing of the caller's Latchkey configuration leaks in (no SMTP: emails go to the outbox).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("LATCHKEY_")),
  );
  const child = spawn(bin, ["serve", "--dev"], {
    // The data directory as working directory: no stray latchkey.toml is read.
    cwd: dataDir,
    env: {
      ...env,
      LATCHKEY_LISTEN: `127.0.0.1:${port}`,
      LATCHKEY_PUBLIC_URL: url,
      LATCHKEY_DATA_DIR: dataDir,
      LATCHKEY_ADMIN_KEY: adminKey,
      RUST_LOG: process.env.RUST_LOG || "info",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 2000) log.splice(0, log.length - 2000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = null;
  // However the test process ends (an uncaught error, a signal), the server ends with it.
  const killServer = () => {
    if (!exited) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    killServer();
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.on("exit", killServer);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  child.on("exit", (code, sig) => {
    exited = { code, sig };
    process.off("exit", killServer);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      throw new Error(
        `the server exited (${JSON.stringify(exited)}) before answering /health:\n${log.join("")}`,
      );
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer /health within 30 s:\n${log.join("")}`);
    }
    await sleep(100);
  }

  const server = {
    url,
    port,
    dataDir,
    adminKey,
    log: () => log.join(""),
    /** A call to the server from the test process (admin, server API). */
    async api(method, pathname, { body, token } = {}) {
      const headers = {};
      if (body !== undefined) headers["content-type"] = "application/json";
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`http://127.0.0.1:${port}${pathname}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, headers: res.headers, json, text };
    },
    /** Creates an app through the admin API. */
    async createApp(app) {
      const res = await server.api("POST", "/admin/apps", { body: app, token: adminKey });
      if (res.status !== 201 && res.status !== 200) {
        throw new Error(`creating app ${app.id} failed: ${res.status} ${res.text}`);
      }
      return res.json;
    },
    /** Creates an API key of `app` through the admin API; resolves to the secret. */
    async createApiKey(app) {
      const res = await server.api("POST", `/admin/apps/${app}/api-keys`, {
        body: { name: "e2e" },
        token: adminKey,
      });
      if (res.status !== 201 && res.status !== 200) {
        throw new Error(`creating an API key for ${app} failed: ${res.status} ${res.text}`);
      }
      return res.json.secret;
    },
    /**
     * Waits for the newest email to `address` in the outbox that holds a 6-digit code (not a
     * security notice sent at the same moment), and returns the code.
     */
    async emailCode(address, { after = 0, timeoutMs = 10_000 } = {}) {
      const mail = await waitForEmail(path.join(dataDir, "outbox"), address, {
        after,
        timeoutMs,
        accept: (m) => codeOf(m) !== undefined,
      });
      return codeOf(mail);
    },
    /** Stops the server (SIGTERM, then SIGKILL) and removes its data directory. */
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        const until = Date.now() + 5_000;
        while (!exited && Date.now() < until) await sleep(50);
        if (!exited) child.kill("SIGKILL");
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

// ---------------------------------------------------------------------------------------------
// The outbox: `.eml` files, MIME (multipart, quoted-printable, base64).

/** The 6-digit code in an email's text part (`{parts}` as `waitForEmail` gives them), if any. */
export function codeOf(mail) {
  const text = mail.parts.find((p) => p.type.startsWith("text/plain"))?.text ?? "";
  return text.match(/(?<!\d)\d{6}(?!\d)/)?.[0];
}

/**
 * Polls `dir` for an email to `address` written at or after `after` (ms since the epoch), the
 * newest first, that `accept` takes (by default any: `accept` gets `{headers, parts}`).
 */
export async function waitForEmail(
  dir,
  address,
  { after = 0, timeoutMs = 10_000, accept = () => true } = {},
) {
  const deadline = Date.now() + timeoutMs;
  const want = address.toLowerCase();
  for (;;) {
    let names = [];
    try {
      names = (await readdir(dir))
        .filter((n) => n.endsWith(".eml"))
        .sort()
        .reverse();
    } catch {
      names = [];
    }
    for (const name of names) {
      // `<unix seconds>-<uuid v7>.eml`: skip the ones clearly older than `after`.
      const written = Number(name.split("-")[0]) * 1000;
      if (Number.isFinite(written) && written + 1000 < after) continue;
      const raw = await readFile(path.join(dir, name), "utf8");
      const mail = parseMime(raw);
      const to = (mail.headers.get("to") || "").toLowerCase();
      if (to.includes(want) && accept({ headers: mail.headers, parts: leafParts(mail) })) {
        return { name, raw, headers: mail.headers, parts: leafParts(mail) };
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no email to ${address} in ${dir} within ${timeoutMs} ms (files: ${names.join(", ")})`,
      );
    }
    await sleep(100);
  }
}

/** Parses one MIME entity: headers (unfolded, lower-cased names) and body or parts. */
export function parseMime(raw) {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? "" : text.slice(split + 2);
  const headers = new Map();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  const type = (headers.get("content-type") || "text/plain").toLowerCase();
  const entity = { headers, type, body, parts: [] };
  if (type.startsWith("multipart/")) {
    const boundary = /boundary="?([^";]+)"?/i.exec(headers.get("content-type"))?.[1];
    if (boundary) {
      const chunks = body.split(`--${boundary}`);
      for (const chunk of chunks.slice(1)) {
        if (chunk.startsWith("--")) break;
        entity.parts.push(parseMime(chunk.replace(/^\n/, "")));
      }
    }
  }
  return entity;
}

/** The non-multipart parts of an entity, their bodies decoded to text. */
function leafParts(entity) {
  if (entity.parts.length) {
    return entity.parts.flatMap(leafParts);
  }
  const encoding = (entity.headers.get("content-transfer-encoding") || "7bit").toLowerCase();
  let bytes;
  if (encoding === "quoted-printable") {
    bytes = decodeQuotedPrintable(entity.body);
  } else if (encoding === "base64") {
    bytes = Buffer.from(entity.body.replace(/\s+/g, ""), "base64");
  } else {
    bytes = Buffer.from(entity.body, "utf8");
  }
  return [{ type: entity.type, text: bytes.toString("utf8") }];
}

/** RFC 2045 §6.7 quoted-printable → bytes. */
export function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\n/g, "");
  const out = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(...Buffer.from(c, "utf8"));
    }
  }
  return Buffer.from(out);
}

// ---------------------------------------------------------------------------------------------
// The test pages' origin

/**
 * Serves the test page at `/` from another origin (`http://localhost:PORT`). The page imports
 * the SDK from the Latchkey server (`/sdk/latchkey.js`), as an app's page would, exposes the
 * module as `window.sdk` and a client for `app` as `window.lk`, and has the username field that
 * passkey autofill attaches to.
 */
export async function startPageServer({ serverUrl, app }) {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Latchkey SDK e2e</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; margin: 2rem; max-width: 44rem; }
  h1 { font-size: 1.3rem; }
  label { display: block; margin: 1rem 0 .3rem; }
  input { font: inherit; padding: .4rem; width: 20rem; }
  #status { display: block; margin-top: 1.5rem; padding: .8rem; background: #f3f4f6;
            white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; }
</style>
</head>
<body>
<h1>Latchkey SDK test page (app <code>${app}</code>)</h1>
<form id="login" onsubmit="return false">
  <label for="username">Email</label>
  <input id="username" name="username" type="text" autocomplete="username webauthn">
</form>
<output id="status">loading…</output>
<script type="module">
  import * as sdk from ${JSON.stringify(`${serverUrl}/sdk/latchkey.js`)};
  window.sdk = sdk;
  window.lk = sdk.Latchkey({ baseUrl: ${JSON.stringify(serverUrl)}, app: ${JSON.stringify(app)} });
  window.show = (value) => {
    document.getElementById("status").textContent =
      typeof value === "string" ? value : JSON.stringify(value, null, 2);
  };
  // Runs an SDK call and describes its outcome as plain data the test process can inspect.
  window.attempt = async (call) => {
    try {
      return { ok: await call() };
    } catch (e) {
      return {
        error: {
          name: e?.name, message: e?.message, code: e?.code, status: e?.status,
          detail: e?.detail, problem: e?.problem ?? null,
          isLatchkeyError: e instanceof sdk.LatchkeyError, isError: e instanceof Error,
          cause: e?.cause ? { name: e.cause.name, message: e.cause.message } : null,
        },
      };
    }
  };
  // Binary values as {"$bytes": base64url}, so option objects can be compared as JSON.
  window.canon = (x) => {
    if (x instanceof ArrayBuffer) return { $bytes: sdk.base64urlEncode(x) };
    if (ArrayBuffer.isView(x)) return { $view: sdk.base64urlEncode(x) };
    if (Array.isArray(x)) return x.map(window.canon);
    if (x && typeof x === "object") {
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, window.canon(v)]));
    }
    return x;
  };
  window.show("ready");
  window.sdkReady = true;
</script>
</body>
</html>`;
  const server = http.createServer((req, res) => {
    if (req.url === "/favicon.ico") {
      res.writeHead(204);
      res.end();
    } else if (req.url === "/" || req.url.startsWith("/?")) {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(page);
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin,
    url: `${origin}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// ---------------------------------------------------------------------------------------------
// The browser

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Debian's Chromium (never a downloaded browser). */
export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: install Debian's 'chromium' package`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
}

/** The virtual authenticator a test starts with: a platform passkey provider with UV. */
export const platformAuthenticator = {
  protocol: "ctap2",
  transport: "internal",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
};

/**
 * A fresh browser context (own cookies) with the test page loaded and one virtual
 * authenticator. Returns the page, its CDP session, the authenticator id, and helpers.
 */
export async function openPage(
  browser,
  pageServer,
  { authenticator = platformAuthenticator } = {},
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleLines = [];
  page.on("console", (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
  page.on("pageerror", (err) => consoleLines.push(`[pageerror] ${err.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const authenticatorId = authenticator
    ? (await cdp.send("WebAuthn.addVirtualAuthenticator", { options: authenticator }))
        .authenticatorId
    : null;
  await page.goto(pageServer.url);
  try {
    await page.waitForFunction(() => window.sdkReady === true, null, { timeout: 10_000 });
  } catch (err) {
    err.message += `\nthe test page did not load the SDK; its console:\n${consoleLines.join("\n")}`;
    await context.close();
    throw err;
  }
  return {
    context,
    page,
    cdp,
    authenticatorId,
    consoleLines,
    /** The credentials the given (default: first) virtual authenticator holds. */
    async credentials(id = authenticatorId) {
      return (await cdp.send("WebAuthn.getCredentials", { authenticatorId: id })).credentials;
    },
    async addAuthenticator(options = platformAuthenticator) {
      return (await cdp.send("WebAuthn.addVirtualAuthenticator", { options })).authenticatorId;
    },
    async close() {
      await context.close();
    },
  };
}

/** Saves a screenshot of the page's current state as `target/e2e-screenshots/<name>.png`. */
export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^a-z0-9_-]+/gi, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Standard base64 of CDP's `binary` → base64url without padding, as WebAuthn JSON has it. */
export function cdpToBase64url(binary) {
  return Buffer.from(binary, "base64").toString("base64url");
}

// ---------------------------------------------------------------------------------------------
// Helpers of the hosted-pages tests (pages.test.mjs)

/**
 * A fresh browser context (own cookies) with one page, its CDP session and one virtual
 * authenticator, but no page loaded yet (unlike `openPage`). `initScripts` run in every
 * document of the page before its own scripts (CDP-injected: no page CSP applies to them).
 */
export async function openContext(
  browser,
  { authenticator = platformAuthenticator, initScripts = [], viewport } = {},
) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  const consoleLines = [];
  page.on("console", (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
  page.on("pageerror", (err) => consoleLines.push(`[pageerror] ${err.message}`));
  for (const script of initScripts) await page.addInitScript(script);
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const authenticatorId = authenticator
    ? (await cdp.send("WebAuthn.addVirtualAuthenticator", { options: authenticator }))
        .authenticatorId
    : null;
  return {
    context,
    page,
    cdp,
    authenticatorId,
    consoleLines,
    /** The credentials the given (default: first) virtual authenticator holds. */
    async credentials(id = authenticatorId) {
      return (await cdp.send("WebAuthn.getCredentials", { authenticatorId: id })).credentials;
    },
    async addAuthenticator(options = platformAuthenticator) {
      return (await cdp.send("WebAuthn.addVirtualAuthenticator", { options })).authenticatorId;
    },
    /** Turns the authenticator's automatic presence simulation on or off. */
    async setPresence(enabled, id = authenticatorId) {
      await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: id, enabled });
    },
    async setUserVerified(isUserVerified, id = authenticatorId) {
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId: id, isUserVerified });
    },
    async close() {
      await context.close();
    },
  };
}

/**
 * Runs `fn` with a fresh context of `browser` (see `openContext`, which `options` go to), closed
 * afterwards. A failure's message gains the page's console, a screenshot
 * (`<prefix>-FAILED-<name>.png`) and the tail of `server`'s log.
 */
export async function inContext(browser, server, prefix, name, fn, options = {}) {
  const p = await openContext(browser, options);
  try {
    await fn(p);
  } catch (err) {
    let shot = "";
    try {
      shot = await screenshot(p.page, `${prefix}-FAILED-${name}`);
    } catch {
      shot = "(no screenshot)";
    }
    err.message +=
      `\n--- page console ---\n${p.consoleLines.join("\n")}` +
      `\n--- screenshot: ${shot}` +
      `\n--- server log (tail) ---\n${server.log().split("\n").slice(-30).join("\n")}`;
    throw err;
  } finally {
    await p.close();
  }
}

/**
 * A static HTTP server on its own origin (`http://localhost:PORT`). `routes` maps a path
 * (without query) to `{ status?, type?, headers?, body }` or to a function of the origin
 * returning one. Every request is recorded in `requests` (`{ method, url }`).
 */
export async function startStaticServer(routes = {}) {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url });
    const pathname = new URL(req.url, origin).pathname;
    let route = routes[pathname];
    if (typeof route === "function") route = route(origin);
    if (!route) {
      res.writeHead(pathname === "/favicon.ico" ? 204 : 404, { "content-type": "text/plain" });
      res.end(pathname === "/favicon.ico" ? undefined : "not found");
      return;
    }
    res.writeHead(route.status || 200, {
      "content-type": route.type || "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...(route.headers || {}),
    });
    res.end(route.body);
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin,
    requests,
    url: (p = "/") => `${origin}${p}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
