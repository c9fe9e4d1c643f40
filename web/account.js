// The account page: the signed-in user's passkeys (add, rename, delete), second factors
// (authenticator apps, backup codes), sessions (revoke), organizations (switch the one this
// session acts for), and sign-out. A change that needs a
// recent sign-in asks the person to confirm it is them (a passkey or a code), then goes on.
// Everything goes through the browser API with the session cookie.

import { Latchkey } from "/sdk/latchkey.js";

const app = document.body.dataset.app;
const lk = Latchkey({ baseUrl: location.origin, app });
const $ = (id) => document.getElementById(id);
let current = null;

function say(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = !text;
}

function explain(error) {
  if (error && error.code === "cancelled") return "The passkey prompt was closed; nothing was changed.";
  if (error && error.code === "invalid_code") return "That code is not right. Try the code the app shows now.";
  if (error && error.code === "unauthorized") return "Your session has ended. Sign in again.";
  return (error && error.detail) || "Something went wrong. Please try again.";
}

/** A change waiting for the person to confirm it is them. */
let afterReauth = null;

async function attempt(button, action) {
  say("");
  if (button) button.disabled = true;
  try {
    await action();
  } catch (error) {
    if (error && error.code === "reauthentication_required") {
      askReauth(action);
    } else {
      say(explain(error));
    }
  } finally {
    if (button) button.disabled = false;
  }
}

/** Asks for a passkey or a code, then runs `action` again. */
function askReauth(action) {
  afterReauth = action;
  $("reauth").hidden = false;
  $("reauth-code").value = "";
  $("reauth-form").hidden = !hasTotp;
  $("reauth-passkey").hidden = !lk.isPasskeySupported();
  say("Please confirm it is you to make this change.", "info");
  $("reauth").querySelector("button:not([hidden]), input").focus();
}

async function reauthenticated() {
  $("reauth").hidden = true;
  const action = afterReauth;
  afterReauth = null;
  if (action) await action();
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "never");

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

async function renderPasskeys() {
  const list = $("passkeys");
  const passkeys = await lk.listPasskeys();
  list.replaceChildren();
  for (const passkey of passkeys) {
    const item = el("li", { className: "passkey" });
    const label = el("span", {},
      el("strong", { textContent: passkey.name }),
      el("span", { className: "meta", textContent: `Added ${when(passkey.created_at)} · last used ${when(passkey.last_used_at)}` }));
    const rename = el("button", { type: "button", className: "small", textContent: "Rename" });
    const remove = el("button", { type: "button", className: "small danger", textContent: "Delete" });
    rename.setAttribute("aria-label", `Rename ${passkey.name}`);
    remove.setAttribute("aria-label", `Delete ${passkey.name}`);
    rename.addEventListener("click", () => {
      const input = el("input", { value: passkey.name, maxLength: 64, required: true });
      input.setAttribute("aria-label", "New name");
      const save = el("button", { type: "submit", className: "small", textContent: "Save" });
      const form = el("form", {}, input, save);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        attempt(save, async () => {
          await lk.renamePasskey(passkey.id, input.value.trim());
          await renderPasskeys();
          say("Passkey renamed.", "info");
        });
      });
      item.replaceChildren(form);
      input.focus();
    });
    remove.addEventListener("click", () => {
      if (passkeys.length === 1 && !confirm("This is your only passkey. Delete it anyway? You can still sign in with an email code.")) return;
      attempt(remove, async () => {
        await lk.deletePasskey(passkey.id);
        await renderPasskeys();
        say("Passkey deleted.", "info");
      });
    });
    item.append(label, el("span", { className: "actions" }, rename, remove));
    list.append(item);
  }
  if (!passkeys.length) list.append(el("li", { textContent: "No passkeys yet." }));
}

/** Whether the user has an authenticator app (a code can then confirm it is them). */
let hasTotp = false;

async function renderFactors() {
  if (document.body.dataset.mfa === "off") return;
  $("mfa-section").hidden = false;
  const { items, backup_codes_remaining: left } = await lk.listFactors();
  hasTotp = items.length > 0;
  const list = $("factors");
  list.replaceChildren();
  for (const factor of items) {
    const item = el("li", { className: "passkey" },
      el("span", {},
        el("strong", { textContent: factor.name }),
        el("span", { className: "meta", textContent: `Added ${when(factor.created_at)} · last used ${when(factor.last_used_at)}` })));
    const remove = el("button", { type: "button", className: "small danger", textContent: "Remove" });
    remove.setAttribute("aria-label", `Remove ${factor.name}`);
    remove.addEventListener("click", () =>
      attempt(remove, async () => {
        await lk.removeFactor(factor.id);
        await renderFactors();
        say("Authenticator app removed.", "info");
      }));
    item.append(el("span", { className: "actions" }, remove));
    list.append(item);
  }
  if (!items.length) list.append(el("li", { textContent: "No authenticator app yet." }));
  $("backup-status").textContent = left ? `${left} backup codes left.` : "";
  $("new-backup-codes").hidden = !items.length;
}

function showBackupCodes(codes) {
  const list = $("backup-codes");
  list.replaceChildren(...codes.map((code) => el("li", { textContent: code })));
  $("backup-box").hidden = false;
  $("backup-box").setAttribute("tabindex", "-1");
  $("backup-box").focus();
}

/** The authenticator app being added. */
let enrolling = null;

$("add-totp").addEventListener("click", (event) =>
  attempt(event.currentTarget, async () => {
    enrolling = await lk.enrollTotp({ name: "Authenticator app" });
    $("totp-qr").src = `/apps/${encodeURIComponent(app)}/mfa/totp/${encodeURIComponent(enrolling.id)}/qr.svg`;
    $("totp-secret").textContent = enrolling.secret.replace(/(.{4})/g, "$1 ").trim();
    $("totp-verify-code").value = "";
    $("totp-enroll").hidden = false;
    $("add-totp").hidden = true;
    $("totp-verify-code").focus();
  }));

$("totp-cancel").addEventListener("click", () => {
  enrolling = null;
  $("totp-enroll").hidden = true;
  $("add-totp").hidden = false;
  say("");
});

$("totp-verify-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = $("totp-verify-code").value.replace(/\s/g, "");
  if (!/^[0-9]{6}$/.test(code)) {
    say("Enter the 6 digits your authenticator app shows.");
    $("totp-verify-code").focus();
    return;
  }
  const button = event.currentTarget.querySelector("button[type=submit]");
  attempt(button, async () => {
    const active = await lk.verifyTotp(enrolling.id, code);
    enrolling = null;
    $("totp-enroll").hidden = true;
    $("add-totp").hidden = false;
    await renderFactors();
    say("Authenticator app added: sign-ins by email now ask for its code.", "info");
    if (active.backup_codes) showBackupCodes(active.backup_codes);
  });
});

$("new-backup-codes").addEventListener("click", (event) =>
  attempt(event.currentTarget, async () => {
    const codes = await lk.regenerateBackupCodes();
    await renderFactors();
    showBackupCodes(codes);
    say("New backup codes made: the old ones no longer work.", "info");
  }));

$("reauth-passkey").addEventListener("click", (event) =>
  attempt(event.currentTarget, async () => {
    await lk.reauthenticateWithPasskey();
    await reauthenticated();
  }));

$("reauth-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = $("reauth-code").value.replace(/\s/g, "");
  const button = event.currentTarget.querySelector("button[type=submit]");
  attempt(button, async () => {
    await lk.reauthenticate({ method: "totp", code });
    await reauthenticated();
  });
});

$("reauth-cancel").addEventListener("click", () => {
  afterReauth = null;
  $("reauth").hidden = true;
  say("");
});

async function renderSessions() {
  const list = $("sessions");
  const response = await fetch(`/apps/${app}/sessions`, { credentials: "include" });
  if (!response.ok) throw await response.json();
  const { items } = await response.json();
  list.replaceChildren();
  for (const session of items) {
    const what = session.client_name
      ? `${session.client_name} (an application you allowed)`
      : `${session.user_agent || "Unknown browser"}${session.current ? " (this browser)" : ""}`;
    const item = el("li", { className: "session" },
      el("span", {},
        el("strong", { textContent: what }),
        el("span", { className: "meta", textContent: `Signed in ${when(session.created_at)} with ${session.amr.join(", ")}` })));
    if (!session.current) {
      const revoke = el("button", { type: "button", className: "small danger", textContent: "Sign out" });
      revoke.setAttribute("aria-label", `Sign out ${what}`);
      revoke.addEventListener("click", () =>
        attempt(revoke, async () => {
          const res = await fetch(`/apps/${app}/sessions/${encodeURIComponent(session.id)}`, {
            method: "DELETE",
            credentials: "include",
          });
          if (!res.ok) throw await res.json();
          await renderSessions();
          say("Signed out there.", "info");
        }));
      item.append(revoke);
    }
    list.append(item);
  }
}

async function renderConsents() {
  const list = $("consents");
  const consents = await lk.listConsents();
  list.replaceChildren();
  $("consents-section").hidden = consents.length === 0;
  for (const consent of consents) {
    const item = el("li", { className: "session" },
      el("span", {},
        el("strong", { textContent: consent.client_name }),
        el("span", { className: "meta", textContent: `Allowed ${when(consent.updated_at)}: ${consent.scopes.join(", ")}` })));
    const remove = el("button", { type: "button", className: "small danger", textContent: "Remove access" });
    remove.setAttribute("aria-label", `Remove access of ${consent.client_name}`);
    remove.addEventListener("click", () =>
      attempt(remove, async () => {
        await lk.revokeConsent(consent.client_id);
        await Promise.all([renderConsents(), renderSessions()]);
        say(`${consent.client_name} no longer has access.`, "info");
      }));
    item.append(remove);
    list.append(item);
  }
}

/** The user's organizations, the one this session acts for marked, with a switch for the others. */
async function renderOrganizations() {
  const list = $("organizations");
  const memberships = await lk.listOrganizations();
  const active = current.session.org_id || null;
  list.replaceChildren();
  $("organizations-section").hidden = memberships.length === 0;
  for (const membership of memberships) {
    const here = membership.org_id === active;
    const roles = membership.roles.length ? membership.roles.join(", ") : "member";
    const item = el("li", { className: "session" },
      el("span", {},
        el("strong", { textContent: `${membership.name}${here ? " (acting for it now)" : ""}` }),
        el("span", { className: "meta", textContent: `Your roles: ${roles}` })));
    const button = el("button", {
      type: "button",
      className: "small",
      textContent: here ? "Stop acting for it" : "Switch to it",
    });
    button.setAttribute("aria-label", `${here ? "Stop acting for" : "Switch to"} ${membership.name}`);
    button.addEventListener("click", () =>
      attempt(button, async () => {
        const result = await lk.switchOrganization(here ? null : membership.org_id);
        current = { user: result.user, session: result.session };
        await renderOrganizations();
        say(here ? `You no longer act for ${membership.name}.` : `You now act for ${membership.name}.`, "info");
      }));
    item.append(button);
    list.append(item);
  }
}

$("add-passkey").addEventListener("click", (event) =>
  attempt(event.currentTarget, async () => {
    await lk.addPasskey();
    await renderPasskeys();
    say("Passkey added.", "info");
  }));

$("sign-out").addEventListener("click", (event) =>
  attempt(event.currentTarget, async () => {
    await lk.signOut();
    location.assign(`/apps/${app}/login`);
  }));

async function start() {
  current = await lk.session();
  if (!current) {
    location.assign(`/apps/${app}/login`);
    return;
  }
  const user = current.user;
  $("who").textContent = `Signed in as ${user.email || user.display_name || "you"}.`;
  if (!lk.isPasskeySupported()) $("add-passkey").hidden = true;
  if (!lk.isPasskeySupported() && document.body.dataset.mfa !== "off") $("reauth-passkey").hidden = true;
  await Promise.all([
    renderPasskeys(),
    renderFactors(),
    renderSessions(),
    renderConsents(),
    renderOrganizations(),
  ]);
}

start().catch((error) => say(explain(error)));
