import { afterEach, describe, expect, it } from 'vitest';
import { actionSpec, anyone, cardAction, noArgs } from '../../bot/declare.js';
import { createWsEventDispatcher } from '../../bot/receivers/ws.js';
import type { Feature } from '../../bot/handlers.js';
import { card, markdown } from '../../cards/elements.js';
import { allFeatures } from '../../commands/index.js';
import { cardActionEvent, messageRecalledEvent, textMessage } from '../../emulator/lark-events.js';
import { inboxEvents } from '../../db/schema/index.js';
import { cardText, hasButton, Harness, P } from '../helpers/harness.js';

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
    const d = createWsEventDispatcher({ dispatcher: h.app.dispatcher, answerCard: h.app.answerCard });
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

  it('feeds a recall (撤回) into the same dispatcher: the draft’s confirmation card closes', async () => {
    h = await Harness.start();
    const d = createWsEventDispatcher({ dispatcher: h.app.dispatcher, answerCard: h.app.answerCard });
    const sent = await h.sendText(P.officer1, '关于城关镇推进基层党建工作的情况汇报\n' + '我镇扎实推进基层党建各项工作，取得明显成效。'.repeat(6));
    await h.settle();
    expect(hasButton(h.lastCardTo(P.officer1).content, '提交审核')).toBe(true);
    const event = messageRecalledEvent({ messageId: sent.messageId, chatId: h.fake.p2pChatIdFor(P.officer1), appId: h.lark.appId, token: h.lark.verificationToken });
    expect(await d.invoke(event, { needCheck: false })).toEqual({});
    await h.settle();
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('您撤回了这条消息，它没有提交。');
  });

  it('answers a card callback with an object, never an empty ACK', async () => {
    h = await Harness.start();
    const d = createWsEventDispatcher({ dispatcher: h.app.dispatcher, answerCard: h.app.answerCard });
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

  it('answers a slow card action within Lark\'s 3 s, then updates the card when the result is in', async () => {
    // The action waits for the test to let it finish: slow work without a sleep.
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const slow: Feature = {
      name: 'test-slow-action',
      actions: [
        cardAction(actionSpec('test.slow', noArgs), {
          allow: anyone,
          async run() {
            await gate;
            return { card: card({ title: '处理完成', elements: [markdown('慢操作已完成。')] }) };
          },
        }),
      ],
    };
    h = await Harness.start({ features: [...allFeatures(), slow] });
    await h.sendText(P.officer1, '帮助');
    await h.settle();
    const help = h.lastCardTo(P.officer1);
    const d = createWsEventDispatcher({ dispatcher: h.app.dispatcher, answerCard: h.app.answerCard });
    const event = cardActionEvent({
      operatorOpenId: P.officer1,
      value: { a: 'test.slow' },
      openMessageId: help.messageId,
      openChatId: h.fake.p2pChatIdFor(P.officer1),
      appId: h.lark.appId,
      token: h.lark.verificationToken,
    } as Parameters<typeof cardActionEvent>[0]);
    h.fake.registerEvent(event);
    const started = Date.now();
    const answer = await d.invoke(event, { needCheck: false });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer).toEqual({ toast: { type: 'info', content: '已收到，正在处理，卡片稍后更新。' } });

    finish();
    for (let i = 0; i < 200 && !cardText(h.lastCardTo(P.officer1).content).includes('慢操作已完成'); i++) {
      await new Promise((r) => setImmediate(r));
      await h.settle();
    }
    expect(cardText(h.lastCardTo(P.officer1).content)).toContain('慢操作已完成');
    expect(h.lastCardTo(P.officer1).messageId).toBe(help.messageId);
  });
});
