import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkConfig } from '../config.js';
import type { Dispatcher } from '../dispatcher.js';
import { normalizeEvent } from '../events.js';
import { toCallbackBody } from './callback-body.js';
import type { CardAnswerer } from './card-deadline.js';
import type { Logger } from '../logger.js';

/**
 * Long-connection mode: the SDK's WSClient delivers the same events, already authenticated by the
 * connection, into the same dispatcher. The SDK hands us header and event spread into one object,
 * so they are put back into the schema 2.0 envelope before normalizing.
 */
export function createWsEventDispatcher(o: { dispatcher: Dispatcher; answerCard: CardAnswerer }): lark.EventDispatcher {
  const envelope = (eventType: string, data: Record<string, unknown>) => ({
    schema: '2.0',
    header: { event_id: data.event_id, event_type: eventType, create_time: data.create_time, token: data.token },
    event: data,
  });
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': async (data: Record<string, unknown>) => {
      const event = normalizeEvent(envelope('im.message.receive_v1', data));
      await o.dispatcher.ingest(event);
      return {};
    },
    'application.bot.menu_v6': async (data: Record<string, unknown>) => {
      await o.dispatcher.ingest(normalizeEvent(envelope('application.bot.menu_v6', data)));
      return {};
    },
    'im.message.recalled_v1': async (data: Record<string, unknown>) => {
      await o.dispatcher.ingest(normalizeEvent(envelope('im.message.recalled_v1', data)));
      return {};
    },
    'card.action.trigger': async (data: Record<string, unknown>) => {
      const event = normalizeEvent(envelope('card.action.trigger', data));
      // A falsy return is reported by Lark as a client error: always answer with an object.
      if (event.kind !== 'card_action') return {};
      // Lark waits 3 s for the answer here as on the webhook: the same deadline guard.
      return toCallbackBody(await o.answerCard(event));
    },
  } as Record<string, (data: any) => Promise<unknown>>);
  return dispatcher;
}

export function startWsReceiver(o: { lark: LarkConfig; dispatcher: Dispatcher; answerCard: CardAnswerer; log: Logger }): { stop: () => void } {
  const dispatcher = createWsEventDispatcher(o);
  const client = new lark.WSClient({
    appId: o.lark.appId,
    appSecret: o.lark.appSecret,
    domain: o.lark.baseUrl,
    loggerLevel: lark.LoggerLevel.warn,
    autoReconnect: true,
    // Detects half-open sockets after sleep or NAT loss.
    wsConfig: { pingTimeout: 150 },
    onReady: () => o.log.info('long connection ready'),
    onError: (err: unknown) => o.log.error({ err }, 'long connection error'),
  } as ConstructorParameters<typeof lark.WSClient>[0]);
  void client.start({ eventDispatcher: dispatcher });
  return { stop: () => client.close() };
}
