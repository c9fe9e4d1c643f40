// The SQLite database: schema, connection settings and the prepared statements every worker uses.
//
// Each cluster worker opens its own connection; WAL lets readers run beside the one writer and
// busy_timeout makes a second writer wait instead of failing with SQLITE_BUSY. All times are
// integer seconds since the epoch.

import Database from 'better-sqlite3';

const SCHEMA = `
create table if not exists users (
  -- base64url of the 16 random bytes sent as WebAuthn user.id, so it equals userHandle
  id text primary key,
  email text not null unique,
  created_at integer not null
);

create table if not exists credentials (
  -- base64url credential id, as the browser reports it
  id text primary key,
  user_id text not null references users (id) on delete cascade,
  -- COSE_Key
  public_key blob not null,
  -- last signature counter seen, to notice cloned authenticators
  counter integer not null,
  -- JSON array of AuthenticatorTransport, handed back in allowCredentials
  transports text not null,
  created_at integer not null
);
create index if not exists credentials_user_id on credentials (user_id);

-- One row per started ceremony, so whichever worker gets the verify request can check it.
create table if not exists challenges (
  -- the ceremony id handed to the client
  id text primary key,
  -- 'register' or 'authenticate'
  kind text not null,
  challenge text not null,
  -- register: the id reserved for the new user; authenticate: the user named by email, if any
  user_id text,
  -- register: the new user's email; authenticate: the email asked for, if any
  email text,
  expires_at integer not null
);

create table if not exists sessions (
  id text primary key,
  user_id text not null references users (id) on delete cascade,
  -- hex SHA-256 of the current refresh token; replaced on every rotation
  refresh_hash text not null unique,
  created_at integer not null,
  expires_at integer not null,
  revoked_at integer
);
`;

/** Opens (creating if needed) the database file with the connection settings every process uses. */
export function open(path) {
  const db = new Database(path);
  db.pragma('journal_mode = wal');
  db.pragma('synchronous = normal');
  db.pragma('foreign_keys = on');
  db.pragma('busy_timeout = 10000');
  return db;
}

/** Creates the tables; run once by the primary before any worker starts. */
export function migrate(db) {
  db.exec(SCHEMA);
}

/** Deletes ceremonies nobody finished. */
export function purgeExpiredChallenges(db, now) {
  return db.prepare('delete from challenges where expires_at <= ?').run(now).changes;
}

/** The statements a worker runs, prepared once. */
export function statements(db) {
  const s = {
    findUserByEmail: db.prepare('select id from users where email = ?'),
    insertUser: db.prepare('insert into users (id, email, created_at) values (?, ?, ?)'),
    findCredential: db.prepare(
      'select id, user_id, public_key, counter, transports from credentials where id = ?',
    ),
    listCredentialsByUser: db.prepare('select id, transports from credentials where user_id = ?'),
    insertCredential: db.prepare(
      `insert into credentials (id, user_id, public_key, counter, transports, created_at)
       values (?, ?, ?, ?, ?, ?)`,
    ),
    updateCounter: db.prepare('update credentials set counter = ? where id = ?'),
    insertChallenge: db.prepare(
      `insert into challenges (id, kind, challenge, user_id, email, expires_at)
       values (?, ?, ?, ?, ?, ?)`,
    ),
    // Single use: the row is gone whatever the verification's outcome.
    takeChallenge: db.prepare(
      `delete from challenges where id = ? and kind = ?
       returning challenge, user_id, email, expires_at`,
    ),
    insertSession: db.prepare(
      `insert into sessions (id, user_id, refresh_hash, created_at, expires_at)
       values (?, ?, ?, ?, ?)`,
    ),
    findLiveSession: db.prepare(
      'select user_id from sessions where id = ? and revoked_at is null and expires_at > ?',
    ),
    // Rotation in one statement: two concurrent refreshes with the same token cannot both win.
    rotateRefresh: db.prepare(
      `update sessions set refresh_hash = ?
       where refresh_hash = ? and revoked_at is null and expires_at > ?
       returning id, user_id`,
    ),
  };

  /** Stores a new user with their first passkey and first session, atomically. */
  s.createUser = db.transaction((user, credential, session) => {
    s.insertUser.run(user.id, user.email, user.createdAt);
    s.insertCredential.run(
      credential.id,
      user.id,
      credential.publicKey,
      credential.counter,
      JSON.stringify(credential.transports ?? []),
      user.createdAt,
    );
    s.insertSession.run(session.id, user.id, session.refreshHash, session.createdAt, session.expiresAt);
  });

  /** Records a sign-in: the new counter and a new session, atomically. */
  s.signIn = db.transaction((credentialId, counter, session) => {
    s.updateCounter.run(counter, credentialId);
    s.insertSession.run(
      session.id,
      session.userId,
      session.refreshHash,
      session.createdAt,
      session.expiresAt,
    );
  });

  return s;
}
