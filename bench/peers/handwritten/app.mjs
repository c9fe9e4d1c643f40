// One cluster worker: the HTTP API over node:http, SimpleWebAuthn for the ceremonies, jose for
// the access tokens, and the shared SQLite database for everything that must survive between two
// requests (which may land on different workers).

import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { SignJWT, jwtVerify } from 'jose';

import { open, statements } from './store.mjs';

const RP_ID = 'example.com';
const RP_NAME = 'Example';
const ORIGIN = 'https://example.com';
const ISSUER = 'https://example.com';
const AUDIENCE = 'example.com';
/** COSE ids: ES256, EdDSA, RS256. */
const ALGORITHMS = [-7, -8, -257];
const CHALLENGE_TTL = 5 * 60;
const ACCESS_TTL = 15 * 60;
const SESSION_TTL = 30 * 24 * 60 * 60;
const MAX_BODY = 64 * 1024;

/** An answer other than 2xx, with the code sent as `{"error": code}`. */
class HttpError extends Error {
  constructor(status, code, detail) {
    super(detail ?? code);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

const now = () => Math.floor(Date.now() / 1000);
const randomId = (bytes = 16) => randomBytes(bytes).toString('base64url');
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function requireString(body, name) {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new HttpError(400, 'bad_request', `${name} must be a non-empty string`);
  }
  return value;
}

function requireObject(body, name) {
  const value = body[name];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'bad_request', `${name} must be an object`);
  }
  return value;
}

function parseEmail(body) {
  const email = requireString(body, 'email').trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new HttpError(400, 'invalid_email');
  }
  return email;
}

/** Builds the request handlers around one database connection and the signing key. */
export function createApp({ databasePath, signingKeyPem }) {
  const db = open(databasePath);
  const sql = statements(db);
  const privateKey = createPrivateKey(signingKeyPem);
  const publicKey = createPublicKey(privateKey);

  /** An ES256 access token for the session: `sub` the user, `sid` the session. */
  function signAccessToken(userId, sessionId) {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(now() + ACCESS_TTL)
      .sign(privateKey);
  }

  /** A new session row's fields and the refresh token whose hash it holds. */
  function newSession(userId) {
    const refreshToken = randomBytes(32).toString('base64url');
    const createdAt = now();
    return {
      refreshToken,
      session: {
        id: randomId(),
        userId,
        refreshHash: sha256(refreshToken),
        createdAt,
        expiresAt: createdAt + SESSION_TTL,
      },
    };
  }

  function startCeremony(kind, challenge, userId, email) {
    const id = randomId();
    sql.insertChallenge.run(id, kind, challenge, userId, email, now() + CHALLENGE_TTL);
    return id;
  }

  /** Consumes the ceremony's row; a second attempt with the same id finds nothing. */
  function takeCeremony(body, kind) {
    const row = sql.takeChallenge.get(requireString(body, 'ceremony_id'), kind);
    if (!row) throw new HttpError(400, 'unknown_ceremony');
    if (row.expires_at <= now()) throw new HttpError(400, 'ceremony_expired');
    return row;
  }

  // WebAuthn L3 §7.1: registering a new credential, for a new user.
  async function startRegistration(body) {
    const email = parseEmail(body);
    if (sql.findUserByEmail.get(email)) throw new HttpError(409, 'email_taken');
    const userId = randomBytes(16);
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: RP_ID,
      userName: email,
      userID: userId,
      attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    const ceremonyId = startCeremony(
      'register',
      options.challenge,
      userId.toString('base64url'),
      email,
    );
    return { ceremony_id: ceremonyId, options };
  }

  async function finishRegistration(body) {
    const ceremony = takeCeremony(body, 'register');
    const response = requireObject(body, 'response');
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: ceremony.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch (e) {
      throw new HttpError(401, 'invalid_credential', e.message);
    }
    if (!verification.verified) throw new HttpError(401, 'invalid_credential');
    const { credential } = verification.registrationInfo;
    const userId = ceremony.user_id;
    const { refreshToken, session } = newSession(userId);
    try {
      sql.createUser(
        { id: userId, email: ceremony.email, createdAt: session.createdAt },
        {
          id: credential.id,
          publicKey: Buffer.from(credential.publicKey),
          counter: credential.counter,
          transports: credential.transports,
        },
        session,
      );
    } catch (e) {
      // Two ceremonies for one email, or a credential id already known.
      if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new HttpError(409, 'conflict');
      }
      throw e;
    }
    return {
      access_token: await signAccessToken(userId, session.id),
      refresh_token: refreshToken,
      user_id: userId,
    };
  }

  // WebAuthn L3 §7.2: verifying an authentication assertion.
  async function startAuthentication(body) {
    let userId = null;
    let email = null;
    let allowCredentials = [];
    if (body.email !== undefined) {
      email = parseEmail(body);
      // An unknown email gets the same answer as a discoverable request, so the options do not
      // tell who has an account; its verify step then fails.
      const user = sql.findUserByEmail.get(email);
      if (user) {
        userId = user.id;
        allowCredentials = sql.listCredentialsByUser
          .all(user.id)
          .map((c) => ({ id: c.id, transports: JSON.parse(c.transports) }));
      }
    }
    const options = await generateAuthenticationOptions({
      rpID: RP_ID,
      allowCredentials,
      userVerification: 'preferred',
    });
    const ceremonyId = startCeremony('authenticate', options.challenge, userId, email);
    return { ceremony_id: ceremonyId, options };
  }

  async function finishAuthentication(body) {
    const ceremony = takeCeremony(body, 'authenticate');
    const response = requireObject(body, 'response');
    const stored = typeof response.id === 'string' ? sql.findCredential.get(response.id) : null;
    if (!stored) throw new HttpError(401, 'invalid_credential', 'unknown credential');
    if (ceremony.email !== null && stored.user_id !== ceremony.user_id) {
      throw new HttpError(401, 'invalid_credential', 'credential of another user');
    }
    const userHandle = response.response?.userHandle;
    if (userHandle != null && userHandle !== stored.user_id) {
      throw new HttpError(401, 'invalid_credential', 'user handle mismatch');
    }
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: ceremony.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential: {
          id: stored.id,
          publicKey: new Uint8Array(stored.public_key),
          counter: stored.counter,
          transports: JSON.parse(stored.transports),
        },
        requireUserVerification: false,
      });
    } catch (e) {
      throw new HttpError(401, 'invalid_credential', e.message);
    }
    if (!verification.verified) throw new HttpError(401, 'invalid_credential');
    const { refreshToken, session } = newSession(stored.user_id);
    sql.signIn(stored.id, verification.authenticationInfo.newCounter, session);
    return {
      access_token: await signAccessToken(stored.user_id, session.id),
      refresh_token: refreshToken,
      user_id: stored.user_id,
    };
  }

  /** For the app's backend: is this access token good, and is its session still alive? */
  async function verifyToken(body) {
    const token = requireString(body, 'token');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, publicKey, {
        algorithms: ['ES256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      }));
    } catch (e) {
      return { valid: false, error: e.code ?? 'invalid_token' };
    }
    if (typeof payload.sid !== 'string' || !sql.findLiveSession.get(payload.sid, now())) {
      return { valid: false, error: 'session_ended' };
    }
    return { valid: true, sub: payload.sub, sid: payload.sid, exp: payload.exp };
  }

  // RFC 6749 §6 with rotation (OAuth 2.0 Security BCP §4.14.2): each refresh token works once.
  async function refreshSession(body) {
    const presented = requireString(body, 'refresh_token');
    const refreshToken = randomBytes(32).toString('base64url');
    const session = sql.rotateRefresh.get(sha256(refreshToken), sha256(presented), now());
    if (!session) throw new HttpError(401, 'invalid_refresh_token');
    return {
      access_token: await signAccessToken(session.user_id, session.id),
      refresh_token: refreshToken,
    };
  }

  const routes = new Map([
    ['/register/options', startRegistration],
    ['/register/verify', finishRegistration],
    ['/authenticate/options', startAuthentication],
    ['/authenticate/verify', finishAuthentication],
    ['/tokens/verify', verifyToken],
    ['/sessions/refresh', refreshSession],
  ]);

  return async function handle(req, res) {
    try {
      const route = routes.get(req.url);
      if (!route) throw new HttpError(404, 'not_found');
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed');
      const body = await readJson(req);
      send(res, 200, await route(body));
    } catch (e) {
      if (e instanceof HttpError) {
        send(res, e.status, { error: e.code, message: e.detail });
      } else {
        console.error(`${req.method} ${req.url}:`, e);
        send(res, 500, { error: 'internal' });
      }
    }
  };
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body_too_large');
    chunks.push(chunk);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'the body is not JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'bad_request', 'the body must be a JSON object');
  }
  return body;
}

function send(res, status, value) {
  const bytes = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    'cache-control': 'no-store',
  });
  res.end(bytes);
}

/** Starts the HTTP server on `port` (shared with the other workers through the cluster). */
export function serve(options) {
  const server = createServer(createApp(options));
  // Longer than the clients' idle pool timeouts, so a pooled connection is not closed under them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(options.port, options.host);
  return server;
}
