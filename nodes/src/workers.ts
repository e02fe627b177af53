// The node's background work: the outbox relay, the inbox puller and the directory refresh.
import { type RelayDispatcher, startBullmqRelay, startInProcessRelay } from './exchange/dispatch.ts';
import { type InboxPuller, startInboxPuller } from './exchange/inbox.ts';
import type { NodeServices } from './services.ts';

export type NodeWorkers = { relay: RelayDispatcher; inbox: InboxPuller; stop(): Promise<void> };

export async function startNodeWorkers(services: NodeServices): Promise<NodeWorkers> {
  const refreshDirectory = () =>
    services.directory.refresh().catch((error: unknown) => {
      services.log(
        `directory refresh failed, keeping the last copy: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  await refreshDirectory();
  const directoryTimer = setInterval(refreshDirectory, services.config.directoryRefreshSeconds * 1000);

  const relay = services.config.redisUrl
    ? startBullmqRelay(services, services.config.redisUrl)
    : startInProcessRelay(services);
  services.relay = relay;
  const inbox = startInboxPuller(services);
  return {
    relay,
    inbox,
    async stop() {
      clearInterval(directoryTimer);
      await Promise.all([relay.stop(), inbox.stop()]);
    },
  };
}
