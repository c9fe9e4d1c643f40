// The better-auth app of the peer: the instance every worker serves, and its migration.
//
// Configured as better-auth's documentation shows for SQLite (a better-sqlite3 handle through
// Kysely), the passkey plugin (passkey-first registration) and the jwt plugin; see README.md
// for every choice that departs from the defaults, and why.

import { randomBytes } from "node:crypto";
import { createServer } from "node:http";

import { passkey } from "@better-auth/passkey";
import { betterAuth } from "better-auth";
import { APIError } from "better-auth/api";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { jwt } from "better-auth/plugins";
import Database from "better-sqlite3";
import { CompiledQuery, SqliteDialect, SqliteDriver } from "kysely";

const HOST = "127.0.0.1";
const RP_ID = "example.com";
const ORIGIN = "https://example.com";

// Opens the shared SQLite file with the same settings Latchkey uses for its own SQLite store:
// WAL so readers run beside the one writer, a busy timeout so writers from other processes
// wait instead of failing, `synchronous = normal` (durable at checkpoints, safe with WAL).
function openDatabase(path) {
  const db = new Database(path);
  db.pragma("journal_mode = wal");
  db.pragma("synchronous = normal");
  db.pragma("foreign_keys = on");
  db.pragma("busy_timeout = 10000");
  return db;
}

// Kysely's SQLite driver, but a transaction takes the write lock when it begins
// (`begin immediate`), as Latchkey's SQLite store does. With a plain `begin`, a transaction
// that reads before it writes fails with SQLITE_BUSY_SNAPSHOT whenever another process wrote
// in between; busy_timeout cannot help there, only a retry of the whole transaction could.
class ImmediateSqliteDriver extends SqliteDriver {
  async beginTransaction(connection) {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  #config;

  constructor(config) {
    super(config);
    this.#config = config;
  }

  createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
}

// The better-auth options, the same for the migration and in every worker.
function authOptions({ db, port, secret }) {
  return {
    appName: "Latchkey bench",
    baseURL: `http://${HOST}:${port}`,
    secret,
    // What better-auth builds itself from a better-sqlite3 handle (a Kysely SQLite dialect,
    // transactions on), with the dialect above in place of Kysely's own.
    database: {
      dialect: new ImmediateSqliteDialect({ database: db }),
      type: "sqlite",
      transaction: true,
    },
    trustedOrigins: [ORIGIN],
    // A load test sends thousands of requests a second from one address; the built-in limiter
    // (on by default when NODE_ENV is production) would refuse most of them.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [
      passkey({
        rpID: RP_ID,
        rpName: "Latchkey bench",
        origin: ORIGIN,
        registration: {
          // Passkey-first sign-up: registration without a session. The `context` query
          // parameter of generate-register-options carries the new account's email.
          requireSession: false,
          resolveUser: async ({ ctx, context }) => {
            const email = parseEmail(context);
            if (await ctx.context.internalAdapter.findUserByEmail(email)) {
              throw new APIError("UNPROCESSABLE_ENTITY", {
                code: "USER_ALREADY_EXISTS",
                message: "an account with this email exists; sign in instead",
              });
            }
            // A placeholder id: the account is created only once the passkey verifies, in
            // afterVerification below, so an abandoned ceremony leaves no user behind.
            return { id: `pending-${randomBytes(16).toString("hex")}`, name: email };
          },
          afterVerification: async ({ ctx, context }) => {
            const email = parseEmail(context);
            const user = await ctx.context.internalAdapter.createUser({
              email,
              name: email,
              emailVerified: false,
            });
            return { userId: user.id };
          },
        },
      }),
      jwt({
        // ES256, as Latchkey signs its access tokens by default (the plugin's default is EdDSA).
        jwks: { keyPairConfig: { alg: "ES256" } },
        // get-session is the server-side session check; with this left on, every get-session
        // would also sign a JWT into a `set-auth-jwt` header. JWTs come from GET /token.
        disableSettingJwtHeader: true,
      }),
    ],
  };
}

// The email carried in the registration `context`, lowercased; a 400 if it is not one.
function parseEmail(context) {
  const email = typeof context === "string" ? context.trim().toLowerCase() : "";
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
    throw new APIError("BAD_REQUEST", {
      code: "INVALID_EMAIL",
      message: "pass the new account's email as `context`",
    });
  }
  return email;
}

// Creates or updates the schema, and the JWT signing key: the first /jwks or /token would
// create the key, and workers starting together would each create one.
export async function migrate({ dbPath, port, secret }) {
  const db = openDatabase(dbPath);
  try {
    const options = authOptions({ db, port, secret });
    const { runMigrations } = await getMigrations(options);
    await runMigrations();
    await betterAuth(options).api.getJwks();
  } finally {
    db.close();
  }
}

// Serves better-auth's handler (all routes under /api/auth) on HOST:port.
export function serve({ dbPath, port, secret }) {
  const db = openDatabase(dbPath);
  const auth = betterAuth(authOptions({ db, port, secret }));
  const server = createServer(toNodeHandler(auth));
  // Longer than the load generator's idle connections wait between the setup and the timed
  // part, so a pooled connection is not closed under a request.
  server.keepAliveTimeout = 65_000;
  server.listen(port, HOST);
  return server;
}
