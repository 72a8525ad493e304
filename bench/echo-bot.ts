/** The baseline: a bare botbuilder echo bot on the same restify + CloudAdapter stack (PORT from argv[2]). */
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const port = Number(process.argv[2] ?? 3979);
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  await next();
});
const server = restify.createServer();
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024 }));
server.get('/healthz', (_req, res, next) => {
  res.send(200, { status: 'ok' });
  return next();
});
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
