#!/usr/bin/env node
// `npm start`: installs what is missing, finds or starts PostgreSQL, NATS and Redis, builds,
// migrates and starts every service plus a worker, then prints the URL once /readiness is green.
const { execSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { ensureInfrastructure } = require('./infrastructure.cjs');
const { startStack, ROOT } = require('./stack.cjs');

const DATABASE = process.env.SHANNON_DATABASE ?? 'shannon';

function sh(command) {
  execSync(command, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
}

async function ensureDatabase(baseUrl) {
  const { Client } = require(join(ROOT, 'node_modules', 'pg'));
  const client = new Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${DATABASE}"`);
    }
  } finally {
    await client.end();
  }
}

async function main() {
  if (!existsSync(join(ROOT, 'node_modules', '.bin', 'nx'))) {
    console.log('Installing dependencies (npm ci)');
    sh('npm ci --no-audit --no-fund');
  }
  await ensureInfrastructure();
  const baseUrl = process.env.DATABASE_BASE_URL ?? 'postgresql://postgres@127.0.0.1:5432';
  await ensureDatabase(baseUrl);
  console.log('Building the services');
  sh('npx nx run-many -t build -p gateway auth session task streaming --output-style=stream-without-prefixes');
  const stack = startStack({
    env: {
      ENVIRONMENT: process.env.ENVIRONMENT ?? 'development',
      GATEWAY_SKIP_AUTH: process.env.GATEWAY_SKIP_AUTH ?? '1',
      MIGRATE_ON_START: '1',
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      DATABASE_URL: `${baseUrl}/${DATABASE}`,
    },
  });
  const stop = async () => {
    console.log('\nStopping the stack');
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await stack.waitUntilReady(120_000);
  } catch (error) {
    console.error(error.message);
    await stack.stop();
    process.exit(1);
  }
  console.log(`\nShannon API ready at ${stack.gatewayUrl.replace('127.0.0.1', 'localhost')} (Ctrl-C stops everything)\n`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
