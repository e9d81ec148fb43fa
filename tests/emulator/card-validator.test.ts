import { describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, validateCard } from '../../emulator/card-validator.js';

const pt = (content: string) => ({ tag: 'plain_text', content });

/** A realistic review card using most components the bot needs. */
function reviewCard(): Record<string, unknown> {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: '稿件待审' } },
    header: {
      title: pt('稿件审核'),
      subtitle: pt('第 12 期'),
      template: 'blue',
      text_tag_list: [{ tag: 'text_tag', text: pt('待审'), color: 'orange' }],
    },
    body: {
      padding: '12px 12px 12px 12px',
      elements: [
        { tag: 'markdown', content: '**标题**：乡村振兴\n<at id=ou_editor1></at>', element_id: 'md_title' },
        { tag: 'hr' },
        {
          tag: 'column_set',
          flex_mode: 'none',
          horizontal_spacing: 'default', // `_mixed`: demos use it, keyword list does not
          columns: [
            { tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '作者：王研究' }] },
            {
              tag: 'column',
              width: 'weighted',
              weight: 2,
              vertical_align: 'center',
              elements: [
                {
                  tag: 'button',
                  text: pt('通过'),
                  type: 'primary_filled',
                  behaviors: [{ type: 'callback', value: { action: 'approve', draftId: 12 } }],
                  confirm: { title: pt('确认'), text: pt('确认通过？') },
                },
                { tag: 'button', text: pt('退回'), type: 'danger', behaviors: [{ type: 'callback', value: { action: 'reject' } }] },
                { tag: 'button', text: pt('原文'), behaviors: [{ type: 'open_url', default_url: 'https://example.com/d/12' }] },
              ],
            },
          ],
        },
        {
          tag: 'form',
          name: 'review_form',
          elements: [
            {
              tag: 'input',
              name: 'comment',
              required: true,
              input_type: 'multiline_text',
              rows: 3,
              max_length: 500,
              placeholder: pt('请输入意见'),
              label: pt('审核意见'),
            },
            {
              tag: 'select_static',
              name: 'grade',
              placeholder: pt('评级'),
              options: [
                { text: pt('一类'), value: 'A' },
                { text: pt('二类'), value: 'B' },
              ],
              initial_option: 'A',
            },
            { tag: 'date_picker', name: 'due', initial_date: '2026-11-30', placeholder: pt('截止日期') },
            { tag: 'select_person', name: 'assignee', options: [{ value: 'ou_reviewer1' }] },
            {
              tag: 'column_set',
              columns: [
                {
                  tag: 'column',
                  elements: [
                    {
                      tag: 'button',
                      name: 'submit',
                      text: pt('提交'),
                      type: 'primary',
                      form_action_type: 'submit',
                      behaviors: [{ type: 'callback', value: { action: 'review' } }],
                    },
                  ],
                },
                { tag: 'column', elements: [{ tag: 'button', name: 'reset', text: pt('重置'), form_action_type: 'reset' }] },
              ],
            },
          ],
        },
        {
          tag: 'table',
          page_size: 5,
          row_height: 'low',
          header_style: { text_align: 'left', text_size: 'normal', background_style: 'grey', bold: true },
          columns: [
            { name: 'unit', display_name: '单位', data_type: 'text' },
            { name: 'score', display_name: '得分', data_type: 'number', format: { precision: 1 } },
          ],
          rows: [{ unit: '组织部', score: 12.5 }],
        },
        {
          tag: 'collapsible_panel',
          expanded: false,
          header: {
            title: { tag: 'markdown', content: '**历史记录**' },
            icon: { tag: 'standard_icon', token: 'down-small-ccm_outlined', color: 'grey', size: '16px 16px' },
            icon_position: 'right',
            icon_expanded_angle: -180,
          },
          border: { color: 'grey', corner_radius: '5px' },
          elements: [
            { tag: 'markdown', content: '- 11 月 2 日 提交' },
            { tag: 'div', text: { tag: 'plain_text', content: '仅供参考', text_size: 'notation', text_color: 'grey' } },
          ],
        },
        {
          tag: 'chart',
          aspect_ratio: '16:9',
          chart_spec: { type: 'bar', data: { values: [{ unit: '组织部', score: 12 }] }, xField: 'unit', yField: 'score' },
        },
        {
          tag: 'interactive_container',
          behaviors: [{ type: 'callback', value: { action: 'open' } }],
          elements: [{ tag: 'markdown', content: '查看详情' }],
        },
      ],
    },
  };
}

type Json = Record<string, any>;

function withElements(...elements: unknown[]): Json {
  return { schema: '2.0', body: { elements } };
}

function expectRejected(card: unknown, subCode: number, msgPart?: string) {
  const result = validateCard(card);
  if (result.ok) throw new Error('expected the card to be rejected');
  expect(result.code).toBe(230099);
  expect(result.subCode).toBe(subCode);
  if (msgPart) expect(result.msg).toContain(msgPart);
  return result;
}

const submit = { tag: 'button', name: 'go', text: pt('提交'), form_action_type: 'submit' };

describe('validateCard: accepts', () => {
  it('a realistic review card', () => {
    expect(validateCard(reviewCard())).toEqual({ ok: true });
  });

  it('what the whitelist notes say official examples do', () => {
    const card = withElements(
      { tag: 'img', img_key: 'img_v3_x' }, // `_requiredConflicts`: alt
      { tag: 'div', text: pt('x'), fields: [{ is_short: true, text: { tag: 'lark_md', content: '**a**' } }] }, // `_exampleOnlyProps`
      { tag: 'button', text: pt('x'), value: { a: 1 } }, // historical value
      { tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'i' }, { tag: 'button', name: 'b', text: pt('ok'), action_type: 'form_submit' }] },
      { tag: 'markdown', content: 'x', text_size: 'normal_v2' }, // `_mixed` text_size is not enum-checked
    );
    expect(validateCard(card)).toEqual({ ok: true });
  });

  it('the official form-container examples (表单容器 doc)', () => {
    const both = [
      { type: 'open_url', default_url: 'https://www.baidu.com', android_url: 'https://developer.android.com/', ios_url: 'lark://msgcard/unsupported_action', pc_url: 'https://www.windows.com' },
      { type: 'callback', value: { key: 'value' } },
    ];
    const structure = withElements({
      tag: 'form',
      element_id: 'custom_id',
      direction: 'horizontal',
      horizontal_spacing: '8px',
      vertical_spacing: '8px',
      horizontal_align: 'left',
      vertical_align: 'top',
      padding: '4px 0px 4px 0px',
      margin: '0px 0px 0px 0px',
      name: 'form_1',
      elements: [
        { tag: 'input', name: 'reason', required: true },
        {
          tag: 'column_set',
          columns: [
            { tag: 'column', width: 'auto', elements: [{ tag: 'button', type: 'primary', text: pt('提交'), behaviors: both, form_action_type: 'submit', name: 'Button_m8pn9lbf' }] },
            { tag: 'column', width: 'auto', elements: [{ tag: 'button', type: 'default', text: pt('取消'), behaviors: both, form_action_type: 'reset', name: 'Button_m8pn9lbg' }] },
          ],
        },
      ],
    });
    expect(validateCard(structure)).toEqual({ ok: true });

    const icon = (token: string, color?: string) => ({ tag: 'standard_icon', token, ...(color ? { color } : {}) });
    const fallback = (content: string) => ({ tag: 'fallback_text', text: pt(content) });
    const row = (label: string, control: unknown) => ({
      tag: 'column_set',
      horizontal_spacing: '8px',
      horizontal_align: 'left',
      margin: '16px 0px 16px 0px',
      columns: [
        { tag: 'column', width: 'weighted', weight: 1, padding: '0px 0px 0px 0px', vertical_spacing: '8px', elements: [{ tag: 'markdown', content: label, text_align: 'left', text_size: 'normal', icon: icon('member_outlined', 'light_grey') }] },
        { tag: 'column', width: 'weighted', weight: 4, padding: '0px 0px 0px 0px', vertical_spacing: '8px', elements: [control] },
      ],
    });
    const sample = withElements(
      { tag: 'markdown', content: '**项目名称**：业务做大做强', text_align: 'left', text_size: 'normal', icon: icon('add-app_outlined', 'grey') },
      {
        tag: 'form',
        elements: [
          row('**经办人***', { tag: 'select_person', placeholder: pt('请选择'), options: [], width: 'fill', type: 'default', required: true, name: 'PersonSelect_rg0ml5mh' }),
          row('**优先级***', {
            tag: 'select_static',
            placeholder: pt('请选择'),
            options: [
              { text: pt('P0'), value: '1', icon: icon('sheet-iconsets-increase_filled') },
              { text: pt('P1'), value: 'P1', icon: icon('sheet-iconsets-stable_filled') },
            ],
            type: 'default',
            width: 'fill',
            required: true,
            name: 'Select_01taxkgaqc6c',
          }),
          row('**项目评论**', { tag: 'input', placeholder: pt('请输入'), default_value: '', width: 'fill', name: 'Input_0bqcy75cxklr', fallback: fallback('仅支持在 V6.8 及以上版本使用') }),
          {
            tag: 'column_set',
            flex_mode: 'bisect',
            horizontal_spacing: '8px',
            horizontal_align: 'right',
            columns: [
              { tag: 'column', width: 'auto', elements: [{ tag: 'button', text: pt('提交'), type: 'primary_filled', width: 'default', icon: icon('thumbsup_outlined'), form_action_type: 'submit', name: 'Button_lq544v6r' }] },
              { tag: 'column', width: 'auto', elements: [{ tag: 'button', text: pt('取消'), type: 'default', width: 'default', form_action_type: 'reset', name: 'Button_lq544v6s' }] },
            ],
            margin: '0px 0px 0px 0px',
          },
        ],
        name: 'Form_lq544v6q',
        fallback: fallback('仅支持在 V6.6 及以上版本使用'),
      },
    );
    expect(validateCard(sample)).toEqual({ ok: true });
  });

  it('the official delayed-update 2.0 example (延时更新消息卡片 doc)', () => {
    const card = {
      schema: '2.0',
      config: { update_multi: true },
      body: {
        direction: 'vertical',
        padding: '12px 12px 12px 12px',
        elements: [
          {
            tag: 'div',
            text: { tag: 'plain_text', content: 'JSON 2.0 示例文本', text_size: 'normal_v2', text_align: 'left', text_color: 'default' },
            margin: '0px 0px 0px 0px',
          },
        ],
      },
      header: { title: pt('JSON 2.0 示例标题'), subtitle: pt(''), template: 'blue', padding: '12px 12px 12px 12px' },
    };
    expect(validateCard(card)).toEqual({ ok: true });
  });

  it('a 2.0 card without config (update_multi defaults to true)', () => {
    expect(validateCard(withElements({ tag: 'markdown', content: 'x' }))).toEqual({ ok: true });
  });

  it('exactly 200 elements and 5 tables', () => {
    expect(validateCard(withElements(...Array.from({ length: 200 }, () => ({ tag: 'hr' }))))).toEqual({ ok: true });
    const table = { tag: 'table', columns: [{ name: 'a', data_type: 'text' }], rows: [{ a: 'x' }] };
    expect(validateCard(withElements(...Array.from({ length: 5 }, () => table)))).toEqual({ ok: true });
  });

  it('containers nested 5 levels deep', () => {
    let inner: Json = { tag: 'markdown', content: 'deep' };
    for (let i = 0; i < 5; i++) inner = { tag: 'collapsible_panel', header: { title: pt('p') }, elements: [inner] };
    expect(validateCard(withElements(inner))).toEqual({ ok: true });
  });

  it('exposes the 30 KB size limit', () => {
    expect(CARD_MAX_BYTES).toBe(30 * 1024);
  });
});

describe('validateCard: rejects', () => {
  it('an unknown property, with its path', () => {
    const card = reviewCard();
    (card.body as Json).elements[2].foo = 1;
    const r = expectRejected(card, 200621, 'parse card json err: unknown property: foo, path: ROOT -> body -> elements -> 2');
    expect(r.path).toBe('ROOT -> body -> elements -> 2');
  });

  it('an unknown property deep inside', () => {
    const card = reviewCard();
    (card.body as Json).elements[2].columns[1].elements[0].text.colour = 'red';
    expectRejected(card, 200621, 'unknown property: colour, path: ROOT -> body -> elements -> 2 -> columns -> 1 -> elements -> 0 -> text');
  });

  it('the 1.0 action and note tags (200861)', () => {
    expectRejected(withElements({ tag: 'action', actions: [{ tag: 'button', text: pt('x') }] }), 200861, 'unsupported tag action');
    expectRejected(withElements({ tag: 'note', elements: [pt('x')] }), 200861, 'unsupported tag note');
  });

  it('top-level elements (moved to body.elements in 2.0)', () => {
    expectRejected({ schema: '2.0', elements: [] }, 200621, 'unknown property: elements');
  });

  it('a card that is not schema 2.0', () => {
    expectRejected({ elements: [{ tag: 'markdown', content: 'x' }] }, 200621, 'schema must be "2.0"');
  });

  it('a form inside a column', () => {
    const form = { tag: 'form', name: 'f', elements: [submit] };
    const card = withElements({ tag: 'column_set', columns: [{ tag: 'column', elements: [form] }] });
    expectRejected(card, 200621, 'tag form is not allowed inside column');
  });

  it('a table inside a form', () => {
    const table = { tag: 'table', columns: [{ name: 'a', data_type: 'text' }], rows: [] };
    expectRejected(withElements({ tag: 'form', name: 'f', elements: [table, submit] }), 200621, 'tag table is not allowed inside form');
  });

  it('a chart inside a form (disputed in the docs; whitelist leaves form out)', () => {
    expectRejected(withElements({ tag: 'form', name: 'f', elements: [{ tag: 'chart', chart_spec: {} }, submit] }), 200621);
  });

  it('201 elements (11310)', () => {
    expectRejected(withElements(...Array.from({ length: 201 }, () => ({ tag: 'hr' }))), 11310, 'element exceeds the limit');
  });

  it('text elements count toward the 200', () => {
    const el = { tag: 'div', text: pt('x') }; // 2 elements each
    expectRejected(withElements(...Array.from({ length: 101 }, () => el)), 11310);
  });

  it('6 tables (11310)', () => {
    const table = { tag: 'table', columns: [{ name: 'a', data_type: 'text' }], rows: [] };
    expectRejected(withElements(...Array.from({ length: 6 }, () => table)), 11310, 'table number over limit');
  });

  it('a bad enum value', () => {
    const card = reviewCard();
    (card.body as Json).elements[2].columns[1].elements[0].type = 'primary2';
    const r = expectRejected(card, 200621, 'invalid value "primary2" for type');
    expect(r.path).toMatch(/-> elements -> 0 -> type$/);
  });

  it('update_multi: false', () => {
    expectRejected({ schema: '2.0', config: { update_multi: false } }, 200621, 'update_multi');
  });

  it('a form without name', () => {
    expectRejected(withElements({ tag: 'form', elements: [submit] }), 200621, 'missing required property: name');
  });

  it('a form child without name, or with a duplicate one (200530)', () => {
    expectRejected(withElements({ tag: 'form', name: 'f', elements: [{ tag: 'input' }, submit] }), 200530, 'input needs a non-empty name');
    expectRejected(withElements({ tag: 'form', name: 'f', elements: [{ tag: 'input', name: ' ' }, submit] }), 200530);
    expectRejected(withElements({ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'f' }, submit] }), 200530, 'duplicate name "f"');
  });

  it('a form button without form_action_type, and a form without submit', () => {
    expectRejected(withElements({ tag: 'form', name: 'f', elements: [{ tag: 'button', name: 'b', text: pt('x') }] }), 200621, 'form_action_type');
    expectRejected(withElements({ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'i' }] }), 200621, 'needs a button');
  });

  it('form-only components outside a form', () => {
    expectRejected(withElements({ tag: 'multi_select_static', name: 'm', options: [] }), 200621);
  });

  it('containers nested 6 levels deep', () => {
    let inner: Json = { tag: 'markdown', content: 'deep' };
    for (let i = 0; i < 6; i++) inner = { tag: 'interactive_container', behaviors: [{ type: 'callback', value: {} }], elements: [inner] };
    expectRejected(withElements(inner), 200621, 'nest deeper than 5');
  });

  it('bad or duplicate element_id', () => {
    expectRejected(withElements({ tag: 'hr', element_id: '1abc' }), 200621, 'element_id');
    expectRejected(withElements({ tag: 'hr', element_id: 'a'.repeat(21) }), 200621, 'element_id');
    expectRejected(withElements({ tag: 'hr', element_id: 'x1' }, { tag: 'hr', element_id: 'x1' }), 200621, 'duplicate element_id');
  });

  it('a missing required property and a wrong JSON type', () => {
    expectRejected(withElements({ tag: 'markdown' }), 200621, 'missing required property: content');
    expectRejected(withElements({ tag: 'div', text: { tag: 'plain_text' } }), 200621, 'missing required property: content');
    expectRejected(withElements({ tag: 'button', text: '通过' }), 200621, 'expected a text object');
    expectRejected({ schema: '2.0', body: { elements: {} } }, 200621, 'expected an array');
  });

  it('a behavior type the component does not support', () => {
    expectRejected(withElements({ tag: 'checker', behaviors: [{ type: 'open_url', default_url: 'https://x' }] }), 200621, 'behavior type');
    expectRejected(withElements({ tag: 'button', behaviors: [{ type: 'callback' }] }), 200621, 'missing required property: value');
  });

  it('table rows keyed by something that is not a column (200915)', () => {
    expectRejected(withElements({ tag: 'table', columns: [{ name: 'a', data_type: 'text' }], rows: [{ b: 1 }] }), 200915);
  });

  it('values 2.0 removed', () => {
    expectRejected(withElements({ tag: 'img', img_key: 'k', size: 'stretch_without_padding' }), 200621, 'removed');
    expectRejected(withElements({ tag: 'markdown', content: 'x', href: {} }), 200621, 'unknown property: href');
  });

  it('an unknown tag and a non-object', () => {
    expectRejected(withElements({ tag: 'text_tag', text: pt('x') }), 200621, 'unknown tag: text_tag');
    expectRejected('{"schema":"2.0"}', 200621, 'card must be a JSON object');
  });
});
