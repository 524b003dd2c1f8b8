// Starts the built services as processes: used by `npm start` and by the end-to-end tests.
// Plain CommonJS with no dependencies so it runs before `npm ci` and from jest alike.
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');

const SERVICES = [
  { name: 'auth', app: 'auth', portKey: 'GRPC_PORT', port: 50051 },
  { name: 'session', app: 'session', portKey: 'GRPC_PORT', port: 50052 },
  { name: 'task', app: 'task', portKey: 'GRPC_PORT', port: 50053, env: { TASK_ROLE: 'api' } },
  { name: 'task-worker', app: 'task', env: { TASK_ROLE: 'worker' } },
  { name: 'streaming', app: 'streaming', portKey: 'GRPC_PORT', port: 50054 },
  { name: 'gateway', app: 'gateway', portKey: 'PORT', port: 8080 },
];

/**
 * @param {object} options
 * @param {Record<string,string>} options.env       environment shared by every service
 * @param {Record<string,number>} [options.ports]   port per service name (defaults: 50051.., 8080)
 * @param {string} [options.logDir]                 write each service's output to <logDir>/<name>.log
 * @param {(name: string, line: string) => void} [options.onLine] otherwise each output line goes here
 * @param {string[]} [options.without]             services not to start (e.g. 'task-worker')
 */
function startStack(options) {
  const ports = Object.fromEntries(SERVICES.filter((s) => s.port).map((s) => [s.name, options.ports?.[s.name] ?? s.port]));
  const grpcUrls = {
    AUTH_GRPC_URL: `http://127.0.0.1:${ports.auth}`,
    SESSION_GRPC_URL: `http://127.0.0.1:${ports.session}`,
    TASK_GRPC_URL: `http://127.0.0.1:${ports.task}`,
    STREAMING_GRPC_URL: `http://127.0.0.1:${ports.streaming}`,
  };
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true });
  }
  const children = SERVICES.filter((service) => !options.without?.includes(service.name)).map((service) => {
    const env = {
      ...process.env,
      ...options.env,
      ...grpcUrls,
      ...(service.env ?? {}),
      ...(service.portKey ? { [service.portKey]: String(ports[service.name]) } : {}),
    };
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', service.app, 'main.js')], {
      cwd: join(ROOT, 'dist', 'apps', service.app),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (options.logDir) {
      const file = createWriteStream(join(options.logDir, `${service.name}.log`));
      child.stdout.pipe(file);
      child.stderr.pipe(file);
    } else {
      const onLine = options.onLine ?? ((name, line) => process.stdout.write(`${name.padEnd(11)} | ${line}\n`));
      for (const stream of [child.stdout, child.stderr]) {
        let buffer = '';
        stream.on('data', (chunk) => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop();
          lines.forEach((line) => onLine(service.name, line));
        });
      }
    }
    return { service, child };
  });
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  return {
    gatewayUrl,
    ports,
    /** Where the services reach each other: what another process joining this stack needs. */
    grpcUrls,
    children,
    /** Resolves when /readiness answers 200; rejects when a service exits first or time runs out. */
    async waitUntilReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer yet';
      for (;;) {
        const dead = children.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
        if (dead) {
          throw new Error(`${dead.service.name} exited with ${dead.child.exitCode ?? dead.child.signalCode} before the stack was ready`);
        }
        try {
          const response = await fetch(`${gatewayUrl}/readiness`);
          last = await response.text();
          if (response.status === 200) {
            return JSON.parse(last);
          }
        } catch (error) {
          last = error.message;
        }
        if (Date.now() > deadline) {
          throw new Error(`The stack was not ready within ${timeoutMs} ms: ${last}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    /** SIGTERM to every service (graceful shutdown), SIGKILL after the grace period. */
    async stop(graceMs = 10_000) {
      await Promise.all(
        children.map(({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve();
              return;
            }
            const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
        ),
      );
    },
  };
}

module.exports = { startStack, SERVICES, ROOT };
