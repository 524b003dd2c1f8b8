import { loadConfig } from '@shannon/config';
import { runServiceCommand } from '@shannon/grpc';
import { createGateway } from './bootstrap';
import { gatewayConfigSchema } from './config';

const config = () => loadConfig(gatewayConfigSchema, process.env);

runServiceCommand({
  serve: async () => {
    const cfg = config();
    const app = await createGateway(cfg);
    await app.listen(cfg.PORT, cfg.HOST);
    return app;
  },
  healthcheck: async () => (await fetch(`http://127.0.0.1:${config().PORT}/health`)).ok,
});
