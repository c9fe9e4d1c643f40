// The page of an invitation to join an organization: whoever is signed in with the invited
// address accepts it here (then acts for the organization); anyone else is sent to the login
// page, which brings them back once signed in or signed up with that address.

import { Latchkey } from "/sdk/latchkey.js";

const body = document.body;
const app = body.dataset.app;
const invited = body.dataset.email || "";
const orgName = body.dataset.orgName || "";
const token = new URLSearchParams(location.search).get("token") || "";
const lk = Latchkey({ baseUrl: location.origin, app });
const $ = (id) => document.getElementById(id);

function say(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = !text;
}

function show(id) {
  for (const step of ["step-signed-out", "step-accept", "step-other", "step-done"]) {
    $(step).hidden = step !== id;
  }
}

/** The login page, which comes back here once the person is signed in. */
function toLogin(signUp) {
  const target = new URL("login", location.href);
  target.searchParams.set("login_hint", invited);
  target.searchParams.set("continue", location.pathname + location.search);
  if (signUp) target.searchParams.set("start", "sign-up");
  location.assign(target.toString());
}

async function start() {
  let current = null;
  try {
    current = await lk.session();
  } catch (error) {
    say((error && error.detail) || "Something went wrong. Please reload the page.");
    return;
  }
  const email = current?.user?.email || "";
  if (!current) {
    show("step-signed-out");
  } else if (email.toLowerCase() === invited.toLowerCase()) {
    $("who").textContent = email;
    show("step-accept");
  } else {
    $("other-who").textContent = email || current.user.display_name || "another account";
    show("step-other");
  }
}

$("sign-in").addEventListener("click", () => toLogin(false));
$("sign-up").addEventListener("click", () => toLogin(true));

$("switch-account").addEventListener("click", async () => {
  await lk.signOut().catch(() => {});
  show("step-signed-out");
});

$("accept").addEventListener("click", async (event) => {
  const button = event.currentTarget;
  button.disabled = true;
  say("");
  try {
    const membership = await lk.acceptInvitation(token);
    // Act for the organization at once: that is what accepting is for.
    await lk.switchOrganization(membership.org_id);
    $("done-text").textContent = `You joined ${membership.name || orgName}.`;
    show("step-done");
    say("Invitation accepted.", "info");
  } catch (error) {
    if (error && error.code === "not_found") {
      say("This invitation can no longer be used: it was withdrawn, used or has expired.");
    } else {
      say((error && error.detail) || "Something went wrong. Please try again.");
    }
  } finally {
    button.disabled = false;
  }
});

start();
