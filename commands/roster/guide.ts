import { anyone, command } from '../../bot/declare.js';
import { card, markdown, note } from '../../cards/elements.js';

/** 投稿说明: how a draft reaches the bulletin, for the bot menu and anyone who asks. */
export const guideCommand = command({
  name: '投稿说明',
  aliases: ['投稿指南'],
  summary: '查看如何投稿、送审和查看进度',
  allow: anyone,
  async run(ctx) {
    await ctx.reply(
      card({
        title: '投稿说明',
        template: 'blue',
        summary: '投稿说明',
        elements: [
          markdown(
            [
              '**1. 发稿**　在与我的私聊中直接发送稿件：文字、Word（.docx）、PDF、txt/md 文件或飞书云文档链接均可。',
              '**2. 确认**　我会回一张确认卡片，选好类别（如响应点题，选择对应点题）后点“提交审核”，稿件即送本单位组织委员审核。',
              '**3. 审核**　组织委员通过后转研究室编审；退回时会附理由，按理由修改后点“提交修改稿”再发一稿即可。',
              '**4. 进度**　发送“我的稿件”查看每篇稿件的状态；发送“点题列表”查看正在征集的点题。',
            ].join('\n'),
          ),
          note('还不在名册中的同志，私聊我任意一句话即可申请加入。'),
        ],
      }),
    );
  },
});
