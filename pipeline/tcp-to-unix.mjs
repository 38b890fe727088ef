// Runs inside a stand-in instance's network namespace: accepts TCP on <host:port> (the registry's loopback
// address) and forwards each connection to the Unix socket <socket> that the runner side serves.
// Usage: node tcp-to-unix.mjs <host:port> <socket>
import { createConnection, createServer } from 'node:net';

const [listen, socket] = process.argv.slice(2);
const port = Number(listen.split(':').pop());
const host = listen.slice(0, listen.lastIndexOf(':'));
const server = createServer((client) => {
  const upstream = createConnection(socket);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
server.listen(port, host, () => process.stdout.write(`forwarding ${listen} to ${socket}\n`));
