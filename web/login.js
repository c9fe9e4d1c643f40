// The hosted login page: passkey autofill on the email field, a passkey button, the email-code
// fallback (then an offer to create a passkey), sign-up, and the second factor when the app's
// policy asks for one (an authenticator-app code, a backup code, a passkey, or a passkey made
// now by an account that has none). After sign-in it returns to the
// page's validated redirect_uri with ?auth_token=…, or says who is signed in.

import { Latchkey } from "/sdk/latchkey.js";

const body = document.body;
const app = body.dataset.app;
const redirectUri = body.dataset.redirectUri || "";
// A flow begun through a compatibility API ends where the auth token is traded for that API's
// callback token.
const complete = body.dataset.complete || "";
// An authorization request of the app's OpenID Provider waiting for this sign-in (a path on
// this server, checked by the server).
const resume = body.dataset.continue || "";
const lk = Latchkey({ baseUrl: location.origin, app });

const $ = (id) => document.getElementById(id);
const steps = [
  "step-start",
  "step-sign-up",
  "step-code",
  "step-mfa",
  "step-offer-passkey",
  "step-done",
];
let autofill = null;
/** The sign-in result of an email code, held while a passkey is offered. */
let pending = null;
let codeEmail = "";
let codePurpose = "sign_in";
/** Waits, on the code step, for the emailed link to be confirmed on another device. */
let linkWatch = null;
/** The held-back sign-in a second factor finishes: `{mfaToken, factors}`. */
let mfa = null;
/** Whether the first factor was an email code or link (then a passkey is offered at the end). */
let byEmail = false;

/** Shows one step and moves focus to its first control (a field, a button or a link), for
 * keyboard and screen-reader users: focus must not stay on the step just hidden. */
function show(step) {
  for (const id of steps) $(id).hidden = id !== step;
  const first = $(step).querySelector("input, button, a[href]");
  if (first) first.focus();
}

/** Puts a message in the live region (errors are announced). */
function say(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = !text;
}

/** A sentence for each way a sign-in can fail. */
function explain(error) {
  switch (error && error.code) {
    case "cancelled":
      return "The passkey prompt was closed. Try again, or sign in with an email code.";
    case "not_supported":
      return "This browser cannot use passkeys. Sign in with an email code instead.";
    case "conflict":
      return "An account with this email already exists. Sign in instead.";
    case "invalid_credential":
      return "That passkey is not recognised here. Try another one, or sign in with an email code.";
    case "challenge_expired":
      return "That took too long or was already used. Please try again.";
    case "mfa_required":
      return "This account needs a second step.";
    case "invalid_code": {
      const left = error.problem && error.problem.attempts_left;
      return left > 0
        ? `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left.`
        : "Too many wrong codes. Ask for a new code.";
    }
    case "rate_limited": {
      const wait = error.problem && error.problem.retry_after;
      return wait ? `Too many requests. Try again in ${wait} seconds.` : "Too many requests. Try again soon.";
    }
    case "invalid_request":
      return error.detail || "Please check what you entered.";
    case "network_error":
      return "The sign-in service cannot be reached. Check your connection and try again.";
    default:
      return (error && error.detail) || "Something went wrong. Please try again.";
  }
}

/** A failure: the second-factor step when the app asks for one, else the reason. */
function failed(error) {
  if (error && error.code === "mfa_required" && error.mfa) {
    askSecondFactor(error.mfa);
    return;
  }
  say(explain(error));
  // A second step that is over (expired, used, or five wrong codes) starts again.
  if (mfa && (error.code === "challenge_expired" || (error.code === "invalid_code" && error.problem && error.problem.attempts_left === 0))) {
    mfa = null;
    say("That sign-in is over (too slow, or too many wrong codes). Please start again.");
    show("step-start");
  }
}

/** The second-factor step, showing the ways this user has. */
function askSecondFactor(challenge) {
  stopWatchingLink();
  if (autofill) autofill.abort();
  mfa = challenge;
  const has = (factor) => challenge.factors.includes(factor);
  const canPasskey = lk.isPasskeySupported();
  const none = challenge.factors.length === 0;
  $("totp-form").hidden = !has("totp");
  $("backup-form").hidden = has("totp") || !has("backup_code");
  $("use-backup").hidden = !(has("totp") && has("backup_code"));
  $("use-totp").hidden = true;
  $("mfa-passkey").hidden = !(has("passkey") && canPasskey);
  $("mfa-enroll-text").hidden = !none;
  $("mfa-new-passkey").hidden = !(none && canPasskey);
  $("totp-code").value = "";
  $("backup-code").value = "";
  show("step-mfa");
  if (none && !canPasskey) {
    say("This app asks for a second factor, and this browser cannot make a passkey. Try another browser or device.");
  } else if (!has("totp") && !has("backup_code") && has("passkey")) {
    say("Confirm with your passkey to finish signing in.", "info");
  }
}

/** Signed in after the second factor: as after the first one. */
function secondFactorDone(result) {
  mfa = null;
  if (byEmail) signedInByEmail(result);
  else finish(result);
}

function busy(button, on) {
  if (button) button.disabled = on;
}

/** Runs a step's action with its button disabled and failures explained. */
async function attempt(button, action) {
  say("");
  busy(button, true);
  try {
    await action();
  } catch (error) {
    failed(error);
  } finally {
    busy(button, false);
  }
}

/**
 * Ends the flow: back to the app with the auth token (for a PasskeyMe flow, through the server,
 * which trades it for PasskeyMe's callback token), or a confirmation here.
 */
function finish(result) {
  if (autofill) autofill.abort();
  if (resume && resume.startsWith("/")) {
    location.assign(resume);
    return;
  }
  if (complete) {
    const target = new URL(complete);
    target.searchParams.set("auth_token", result.auth_token);
    location.assign(target.toString());
    return;
  }
  if (redirectUri) {
    const target = new URL(redirectUri);
    target.searchParams.set("auth_token", result.auth_token);
    location.assign(target.toString());
    return;
  }
  const who = result.user.email || result.user.display_name || "your account";
  $("done-text").textContent = `You are signed in as ${who}.`;
  show("step-done");
  say("Signed in.", "info");
}

/** Conditional mediation: the browser offers passkeys in the email field's autofill. */
async function startAutofill() {
  if (!(await lk.isAutofillSupported())) return;
  autofill = new AbortController();
  try {
    const result = await lk.signInWithAutofill({ signal: autofill.signal });
    finish(result);
  } catch (error) {
    if (error && error.code !== "cancelled") failed(error);
  }
}

function emailValue(input) {
  const value = input.value.trim();
  if (!value || !input.checkValidity() || !value.includes("@")) {
    say("Enter your email address, like name@example.com.");
    input.focus();
    return null;
  }
  return value;
}

async function sendCode(email, purpose, button) {
  await attempt(button, async () => {
    await lk.sendEmailCode({ email, purpose });
    codeEmail = email;
    codePurpose = purpose;
    $("code-email").textContent = email;
    $("code").value = "";
    show("step-code");
    watchLink();
  });
}

/** Signed in by email (code here, or link confirmed elsewhere): a person who came by email is
 * the one to offer a passkey to. */
function signedInByEmail(result) {
  stopWatchingLink();
  if (lk.isPasskeySupported()) {
    pending = result;
    show("step-offer-passkey");
    say(codePurpose === "sign_up" ? "Your account is ready." : "Signed in.", "info");
  } else {
    finish(result);
  }
}

/** While the code step shows: the link, opened and confirmed on another device, signs this
 * page in. */
function watchLink() {
  stopWatchingLink();
  if (body.dataset.crossDeviceLinks !== "on") return;
  const watch = new AbortController();
  linkWatch = watch;
  lk.waitForEmailLink({ signal: watch.signal })
    .then((result) => {
      if (result && linkWatch === watch) signedInByEmail(result);
    })
    .catch((error) => {
      if (error && error.code === "mfa_required" && linkWatch === watch) {
        byEmail = true;
        failed(error);
      }
    });
}

function stopWatchingLink() {
  if (linkWatch) linkWatch.abort();
  linkWatch = null;
}

$("passkey-button").addEventListener("click", (event) => {
  if (autofill) autofill.abort();
  const email = $("email").value.trim();
  byEmail = false;
  attempt(event.currentTarget, async () => {
    finish(await lk.signIn(email ? { email } : {}));
  });
});

$("start-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const email = emailValue($("email"));
  if (email) sendCode(email, "sign_in", $("code-button"));
});

const signUpToggle = $("show-sign-up");
if (signUpToggle) {
  signUpToggle.addEventListener("click", () => {
    say("");
    $("sign-up-email").value = $("email").value;
    show("step-sign-up");
  });
}

$("show-sign-in").addEventListener("click", () => {
  say("");
  show("step-start");
});

$("sign-up-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const email = emailValue($("sign-up-email"));
  if (!email) return;
  const button = form.querySelector("button[type=submit]");
  // This app signs people up by email code first; the passkey is offered once signed in.
  if ("emailFirst" in form.dataset) {
    sendCode(email, "sign_up", button);
    return;
  }
  const displayName = $("sign-up-name").value.trim() || undefined;
  if (autofill) autofill.abort();
  byEmail = false;
  attempt(button, async () => {
    finish(await lk.signUp({ email, displayName }));
  });
});

const signUpCode = $("sign-up-code");
if (signUpCode) {
  signUpCode.addEventListener("click", (event) => {
    const email = emailValue($("sign-up-email"));
    if (email) sendCode(email, "sign_up", event.currentTarget);
  });
}

$("code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = $("code").value.replace(/\s/g, "");
  if (!/^[0-9]{6}$/.test(code)) {
    say("Enter the 6 digits from the email.");
    $("code").focus();
    return;
  }
  const button = event.currentTarget.querySelector("button[type=submit]");
  byEmail = true;
  attempt(button, async () => {
    signedInByEmail(await lk.signInWithEmailCode({ email: codeEmail, code }));
  });
});

$("totp-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = $("totp-code").value.replace(/\s/g, "");
  if (!/^[0-9]{6}$/.test(code)) {
    say("Enter the 6 digits your authenticator app shows.");
    $("totp-code").focus();
    return;
  }
  const button = event.currentTarget.querySelector("button[type=submit]");
  attempt(button, async () => {
    secondFactorDone(await lk.completeSignIn({ mfaToken: mfa.mfaToken, method: "totp", code }));
  });
});

$("backup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = $("backup-code").value.trim();
  if (!code) {
    say("Enter one of your backup codes.");
    $("backup-code").focus();
    return;
  }
  const button = event.currentTarget.querySelector("button[type=submit]");
  attempt(button, async () => {
    secondFactorDone(
      await lk.completeSignIn({ mfaToken: mfa.mfaToken, method: "backup_code", code }),
    );
  });
});

$("use-backup").addEventListener("click", () => {
  say("");
  $("totp-form").hidden = true;
  $("backup-form").hidden = false;
  $("use-backup").hidden = true;
  $("use-totp").hidden = false;
  $("backup-code").focus();
});

$("use-totp").addEventListener("click", () => {
  say("");
  $("backup-form").hidden = true;
  $("totp-form").hidden = false;
  $("use-totp").hidden = true;
  $("use-backup").hidden = false;
  $("totp-code").focus();
});

$("mfa-passkey").addEventListener("click", (event) => {
  // A passkey is the second factor: nothing more to offer.
  byEmail = false;
  attempt(event.currentTarget, async () => {
    secondFactorDone(await lk.completeSignInWithPasskey({ mfaToken: mfa.mfaToken }));
  });
});

$("mfa-new-passkey").addEventListener("click", (event) => {
  attempt(event.currentTarget, async () => {
    // The new passkey is made: nothing more to offer.
    byEmail = false;
    secondFactorDone(await lk.finishSignInWithNewPasskey({ mfaToken: mfa.mfaToken }));
  });
});

$("mfa-back").addEventListener("click", () => {
  mfa = null;
  say("");
  show("step-start");
});

$("code-back").addEventListener("click", () => {
  stopWatchingLink();
  say("");
  show("step-start");
});

$("create-passkey").addEventListener("click", (event) => {
  attempt(event.currentTarget, async () => {
    await lk.addPasskey();
    finish(pending);
  });
});

$("skip-passkey").addEventListener("click", () => finish(pending));

if (!lk.isPasskeySupported()) {
  $("passkey-button").hidden = true;
  say("This browser cannot use passkeys; you can sign in with an email code.", "info");
}
// What the app asked for: an address to start with, and account creation first.
if (body.dataset.loginHint) {
  $("email").value = body.dataset.loginHint;
  $("sign-up-email").value = body.dataset.loginHint;
}
if (body.dataset.start === "sign-up") show("step-sign-up");
startAutofill();
