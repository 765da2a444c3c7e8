/**
 * The baseline: a Fastify hello-world in its own process. Prints `listening <port>` when ready.
 * Every path answers the same small JSON object, so each Carebook endpoint has a like-for-like peer.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/*', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
