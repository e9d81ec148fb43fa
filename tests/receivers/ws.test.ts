import { afterEach, describe, expect, it } from 'vitest';
import { createWsEventDispatcher } from '../../bot/receivers/ws.js';
import { textMessage } from '../../emulator/lark-events.js';
import { inboxEvents } from '../../db/schema/index.js';
import { cardText, Harness, P } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * The WSClient hands decoded frames to an EventDispatcher with needCheck:false; invoking the same
 * dispatcher the same way exercises everything after the socket.
 */
describe('long-connection receiver', () => {
  it('feeds received messages into the same dispatcher, deduped', async () => {
    h = await Harness.start();
    const d = createWsEventDispatcher({ dispatcher: h.app.dispatcher });
    const event = textMessage({
      senderOpenId: P.officer1,
      chatId: h.fake.p2pChatIdFor(P.officer1),
      chatType: 'p2p',
      text: '帮助',
      appId: h.lark.appId,
      token: h.lark.verificationToken,
    } as Parameters<typeof textMessage>[0]);
    h.fake.registerEvent(event);
    expect(await d.invoke(event, { needCheck: false })).toEqual({});
    await d.invoke(event, { needCheck: false });
    await h.settle();
    expect(await h.db.db.select().from(inboxEvents)).toHaveLength(1);
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('使用帮助');
  });

  it('answers a card callback with an object, never an empty ACK', async () => {
    h = await Harness.start();
    const d = createWsEventDispatcher({ dispatcher: h.app.dispatcher });
    const { cardActionEvent } = await import('../../emulator/lark-events.js');
    const res = await d.invoke(
      cardActionEvent({
        operatorOpenId: P.officer1,
        value: { a: 'no.such.action' },
        openMessageId: 'om_x',
        openChatId: 'oc_x',
        appId: h.lark.appId,
        token: h.lark.verificationToken,
      } as Parameters<typeof cardActionEvent>[0]),
      { needCheck: false },
    );
    expect(res).toEqual({ toast: { type: 'error', content: expect.stringContaining('失效') } });
  });
});
