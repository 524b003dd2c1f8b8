// Finds PostgreSQL, NATS (JetStream) and Redis on their standard local ports, starting them from
// the machine's own binaries when they are installed but not running.
const { execSync, spawnSync } = require('node:child_process');
const { connect } = require('node:net');
const { existsSync, readdirSync } = require('node:fs');

const SERVICES = [
  {
    name: 'PostgreSQL',
    port: 5432,
    start: () => {
      const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
      if (versions.length === 0 || !hasCommand('pg_ctlcluster')) return false;
      run(`pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main start`);
      return true;
    },
    install: 'apt-get install -y postgresql',
  },
  {
    name: 'NATS',
    port: 4222,
    start: () => {
      const bin = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find(existsSync);
      if (!bin) return false;
      run(`mkdir -p /var/lib/nats-server && start-stop-daemon --start --oknodo --background --exec ${bin} -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log`);
      return true;
    },
    install: 'apt-get install -y nats-server',
  },
  {
    name: 'Redis',
    port: 6379,
    start: () => {
      if (!hasCommand('redis-server')) return false;
      run('mkdir -p /var/lib/redis /var/log/redis && redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log');
      return true;
    },
    install: 'apt-get install -y redis-server',
  },
];

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

function run(command) {
  execSync(command, { stdio: 'inherit', shell: '/bin/bash' });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** Resolves when all three answer; otherwise throws naming what is missing and how to get it. */
async function ensureInfrastructure(log = console.log) {
  const missing = [];
  for (const service of SERVICES) {
    if (await portOpen(service.port)) continue;
    log(`${service.name} is not running on 127.0.0.1:${service.port}; starting it`);
    let started = false;
    try {
      started = service.start();
    } catch (error) {
      log(`Could not start ${service.name}: ${error.message}`);
    }
    if (!started || !(await waitForPort(service.port, 20_000))) {
      missing.push(service);
    }
  }
  if (missing.length > 0 && hasCommand('docker') && spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0) {
    log('Starting the missing infrastructure with docker/compose.dev.yaml');
    run('docker compose -f docker/compose.dev.yaml up -d --wait');
    return;
  }
  if (missing.length > 0) {
    throw new Error(
      `Not running and could not be started: ${missing.map((s) => `${s.name} (port ${s.port}; install with: ${s.install})`).join(', ')}`,
    );
  }
}

module.exports = { ensureInfrastructure, portOpen };
