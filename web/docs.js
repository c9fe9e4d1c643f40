// The API docs page (/docs): fetches /openapi.json from this server and renders it, per tag,
// one entry per operation (method, path, summary, security, parameters, request body and
// responses, with their schemas). Built from DOM nodes, never parsed HTML: the strict CSP of the pages
// allows no inline script or style, and the document's text is shown as text.

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child == null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const code = (text) => el("code", { text });
const METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

// The page shell is a narrow card made for sign-in forms: widen it for reading (CSSOM, which
// the CSP allows, unlike style attributes).
function widen() {
  document.body.style.display = "block";
  const main = document.querySelector("main");
  main.style.maxWidth = "60rem";
  main.style.margin = "0 auto";
}

function resolve(doc, schema) {
  let seen = 0;
  while (schema && schema.$ref && seen++ < 20) {
    const path = schema.$ref.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    schema = path.reduce((node, key) => (node ? node[key] : undefined), doc);
  }
  return schema || {};
}

function refName(schema) {
  return schema && schema.$ref ? schema.$ref.split("/").pop() : null;
}

// A short type for a schema: `string`, `UserResponse`, `array of Passkey`, `string | null`.
function typeOf(doc, schema) {
  if (!schema) return "any";
  const name = refName(schema);
  if (name) return name;
  if (schema.oneOf || schema.anyOf) {
    return (schema.oneOf || schema.anyOf).map((s) => typeOf(doc, s)).join(" | ");
  }
  let type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  if (schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array"))) {
    type = type.replace("array", `array of ${typeOf(doc, schema.items)}`);
  }
  if (!type && schema.properties) type = "object";
  if (type === "object" && schema.additionalProperties && !schema.properties) type = "object (map)";
  if (schema.format) type += ` (${schema.format})`;
  if (schema.enum) type += ` one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  return type || "any";
}

// A schema as a nested list of its fields, following references a few levels deep.
function schemaView(doc, schema, depth = 0, seen = new Set()) {
  const name = refName(schema);
  const resolved = resolve(doc, schema);
  const box = el("div", { class: "schema" });
  if (name) box.append(el("p", {}, el("strong", { text: name }), resolved.description ? ` — ${resolved.description}` : ""));
  else if (resolved.description && depth === 0) box.append(el("p", { text: resolved.description }));
  if (name && seen.has(name)) return box;
  const nextSeen = new Set(seen);
  if (name) nextSeen.add(name);
  const variants = resolved.oneOf || resolved.anyOf;
  if (variants) {
    const list = el("ul");
    for (const v of variants) {
      list.append(el("li", {}, "one of: ", schemaView(doc, v, depth + 1, nextSeen)));
    }
    box.append(list);
    return box;
  }
  const props = resolved.properties;
  if (!props) {
    if (!name) box.append(el("p", {}, code(typeOf(doc, resolved))));
    return box;
  }
  const required = new Set(resolved.required || []);
  const list = el("ul");
  for (const [field, prop] of Object.entries(props)) {
    const item = el(
      "li",
      {},
      code(field),
      required.has(field) ? "" : " (optional)",
      ": ",
      code(typeOf(doc, prop)),
    );
    const described = resolve(doc, prop);
    if (prop.description || (!refName(prop) && described.description)) {
      item.append(` — ${prop.description || described.description}`);
    }
    const inner = prop.items && refName(prop.items) ? prop.items : refName(prop) ? prop : null;
    const innerOneOf = (prop.oneOf || []).find((s) => refName(s));
    const nested = inner || innerOneOf;
    if (nested && depth < 2 && !nextSeen.has(refName(nested))) {
      const details = el("details", {}, el("summary", { text: refName(nested) }));
      details.append(schemaView(doc, nested, depth + 1, nextSeen));
      item.append(details);
    }
    list.append(item);
  }
  box.append(list);
  return box;
}

function contentView(doc, content) {
  const box = el("div");
  for (const [type, media] of Object.entries(content || {})) {
    box.append(el("p", {}, code(type)));
    if (media.schema) box.append(schemaView(doc, media.schema));
  }
  return box;
}

function securityText(doc, op) {
  const security = op.security || doc.security;
  if (!security || security.length === 0) return null;
  const options = security.map((req) => {
    const names = Object.keys(req);
    return names.length === 0 ? "none" : names.join(" + ");
  });
  return el("p", {}, el("strong", { text: "Authentication: " }), options.join(" or "));
}

function parametersView(doc, op) {
  const params = op.parameters || [];
  if (params.length === 0) return null;
  const table = el(
    "table",
    {},
    el("thead", {}, el("tr", {}, el("th", { text: "name" }), el("th", { text: "in" }), el("th", { text: "type" }), el("th", { text: "" }))),
  );
  const body = el("tbody");
  for (const p of params) {
    body.append(
      el(
        "tr",
        {},
        el("td", {}, code(p.name), p.required ? " *" : ""),
        el("td", { text: p.in }),
        el("td", {}, code(typeOf(doc, p.schema))),
        el("td", { text: p.description || "" }),
      ),
    );
  }
  table.append(body);
  return el("div", {}, el("h4", { text: "Parameters" }), table);
}

function operationView(doc, method, path, op) {
  const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-");
  const details = el("details", { id });
  details.append(
    el(
      "summary",
      {},
      el("strong", { text: method.toUpperCase() }),
      " ",
      code(path),
      op.summary ? ` — ${op.summary}` : "",
    ),
  );
  if (op.description) details.append(el("p", { text: op.description }));
  details.append(securityText(doc, op) || "");
  const params = parametersView(doc, op);
  if (params) details.append(params);
  if (op.requestBody) {
    const body = resolve(doc, op.requestBody);
    details.append(el("h4", { text: "Request body" }));
    if (body.description) details.append(el("p", { text: body.description }));
    details.append(contentView(doc, body.content));
  }
  details.append(el("h4", { text: "Responses" }));
  const list = el("ul");
  for (const [status, response] of Object.entries(op.responses || {})) {
    const r = resolve(doc, response);
    const item = el("li", {}, el("strong", { text: status }), ` ${r.description || ""}`);
    if (r.content) {
      const more = el("details", {}, el("summary", { text: "body" }));
      more.append(contentView(doc, r.content));
      item.append(more);
    }
    list.append(item);
  }
  details.append(list);
  return details;
}

function render(doc) {
  document.title = `${doc.info.title} ${doc.info.version} API`;
  $("title").textContent = `${doc.info.title} API ${doc.info.version}`;
  const intro = $("intro");
  intro.textContent = "";
  intro.append(
    doc.info.description || "",
    " OpenAPI ",
    doc.openapi,
    ": ",
    el("a", { href: "/openapi.json", text: "/openapi.json" }),
    ".",
  );

  const byTag = new Map((doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const name = (op.tags && op.tags[0]) || "other";
      if (!byTag.has(name)) byTag.set(name, { tag: { name }, ops: [] });
      byTag.get(name).ops.push({ method, path, op });
    }
  }

  const toc = el("ul");
  const api = $("api");
  for (const { tag, ops } of byTag.values()) {
    if (ops.length === 0) continue;
    ops.sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method) - METHODS.indexOf(b.method));
    const sectionId = `tag-${tag.name}`;
    toc.append(el("li", {}, el("a", { href: `#${sectionId}`, text: tag.name }), ` (${ops.length})`));
    const section = el("section", { id: sectionId, "aria-labelledby": `${sectionId}-title` });
    section.append(el("h2", { id: `${sectionId}-title`, text: tag.name }));
    if (tag.description) section.append(el("p", { text: tag.description }));
    for (const { method, path, op } of ops) section.append(operationView(doc, method, path, op));
    api.append(section);
  }
  $("toc").append(toc);

  const schemes = (doc.components && doc.components.securitySchemes) || {};
  if (Object.keys(schemes).length) {
    const section = el("section", { id: "security" }, el("h2", { text: "Authentication schemes" }));
    const list = el("ul");
    for (const [name, s] of Object.entries(schemes)) {
      const how = s.type === "http" ? `HTTP ${s.scheme}` : s.type === "apiKey" ? `${s.in} ${s.name}` : s.type;
      list.append(el("li", {}, code(name), ` (${how})`, s.description ? ` — ${s.description}` : ""));
    }
    section.append(list);
    api.append(section);
  }
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) {
      if (target.tagName === "DETAILS") target.open = true;
      target.scrollIntoView();
    }
  }
}

widen();
try {
  const res = await fetch("/openapi.json", { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`/openapi.json answered ${res.status}`);
  render(await res.json());
} catch (error) {
  const intro = $("intro");
  intro.textContent = `The API description could not be loaded: ${error.message}. `;
  intro.append(el("a", { href: "/openapi.json", text: "Open /openapi.json" }));
  intro.className = "message error";
}
