// Entry point: a Node cluster with one worker per core (WORKERS to override).
//
// The primary creates the database and the token signing key, forks the workers, prints
// `listening on http://127.0.0.1:PORT` once every worker listens, and purges expired ceremonies.
// SIGTERM or SIGINT stops the workers, then the primary.
//
// Environment: PORT (default 3001), DATA_DIR (default: a fresh temporary directory, removed on
// exit), WORKERS (default: os.availableParallelism()).

import cluster from 'node:cluster';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import { migrate, open, purgeExpiredChallenges } from './store.mjs';

const HOST = '127.0.0.1';

if (cluster.isPrimary) {
  startPrimary();
} else {
  // Only workers load the HTTP and WebAuthn code.
  const { serve } = await import('./app.mjs');
  serve({
    host: HOST,
    port: Number(process.env.PORT),
    databasePath: process.env.DATABASE_PATH,
    signingKeyPem: process.env.SIGNING_KEY_PEM,
  });
}

function startPrimary() {
  const port = Number(process.env.PORT ?? 3001);
  const workers = Number(process.env.WORKERS || availableParallelism());
  if (!Number.isInteger(port) || port < 0 || !Number.isInteger(workers) || workers < 1) {
    console.error('PORT must be a port number and WORKERS a positive integer');
    process.exit(2);
  }
  const ownsDataDir = !process.env.DATA_DIR;
  const dataDir = process.env.DATA_DIR || mkdtempSync(join(tmpdir(), 'handwritten-'));
  mkdirSync(dataDir, { recursive: true });
  const databasePath = join(dataDir, 'handwritten.db');

  const db = open(databasePath);
  migrate(db);
  const purge = setInterval(() => purgeExpiredChallenges(db, Math.floor(Date.now() / 1000)), 60_000);
  purge.unref();

  // One key for every worker, so a token signed by one verifies in all; it lives as long as the
  // cluster does.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const env = {
    PORT: String(port),
    DATABASE_PATH: databasePath,
    SIGNING_KEY_PEM: privateKey.export({ type: 'pkcs8', format: 'pem' }),
  };

  let stopping = false;
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === workers) console.log(`listening on http://${HOST}:${address.port}`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers).length === 0) finish(0);
      return;
    }
    console.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
    cluster.fork(env);
  });
  for (let i = 0; i < workers; i += 1) cluster.fork(env);

  function finish(code) {
    db.close();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  }

  function stop() {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers);
    if (alive.length === 0) finish(0);
    for (const worker of alive) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGKILL');
      finish(1);
    }, 5_000).unref();
  }
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
