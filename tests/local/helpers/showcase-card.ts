/** One Card JSON 2.0 card with every component the console must render. */
export function showcaseCard(): Record<string, unknown> {
  const text = (content: string) => ({ tag: 'plain_text', content });
  const units = ['城关镇', '青石镇', '柳溪乡', '东湖街道', '县教育局', '县卫健局'];
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: '组件展示' } },
    header: {
      title: text('组件展示卡片'),
      subtitle: text('副标题：本地控制台渲染检查'),
      template: 'orange',
      text_tag_list: [
        { tag: 'text_tag', text: text('待审核'), color: 'orange' },
        { tag: 'text_tag', text: text('第2稿'), color: 'blue' },
      ],
    },
    body: {
      elements: [
        {
          tag: 'markdown',
          content:
            '**加粗文字** 与 [链接](https://open.feishu.cn) 与 <font color="red">红色提示</font>\n- 第一项\n- 第二项\n\n1. 步骤一\n2. 步骤二\n\n<text_tag color="green">已通过</text_tag> 转义 \\*不是斜体\\*',
        },
        { tag: 'hr' },
        {
          tag: 'column_set',
          flex_mode: 'bisect',
          background_style: 'grey',
          columns: [
            { tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '**左栏**\n报送 12 篇' }] },
            { tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '**右栏**\n采用 5 篇' }] },
          ],
        },
        {
          tag: 'column_set',
          flex_mode: 'flow',
          columns: [
            { tag: 'column', width: 'auto', elements: [{ tag: 'button', text: text('主要操作'), type: 'primary_filled', behaviors: [{ type: 'callback', value: { a: 'demo.primary' } }] }] },
            { tag: 'column', width: 'auto', elements: [{ tag: 'button', text: text('危险操作'), type: 'danger', behaviors: [{ type: 'callback', value: { a: 'demo.danger' } }], confirm: { title: text('确认删除'), text: text('删除后不可恢复') } }] },
            { tag: 'column', width: 'auto', elements: [{ tag: 'button', text: text('已禁用'), type: 'default', disabled: true, disabled_tips: text('已处理') }] },
            { tag: 'column', width: 'auto', elements: [{ tag: 'button', text: text('文字按钮'), type: 'text', behaviors: [{ type: 'callback', value: { a: 'demo.text' } }] }] },
          ],
        },
        {
          tag: 'form',
          name: 'demo_form',
          elements: [
            { tag: 'input', name: 'title', required: true, label: text('标题'), label_position: 'top', placeholder: text('必填') },
            { tag: 'input', name: 'brief', input_type: 'multiline_text', rows: 3, label: text('说明'), placeholder: text('可换行') },
            { tag: 'select_static', name: 'unit', placeholder: text('选择单位'), options: units.map((u, i) => ({ text: text(u), value: String(i + 1) })) },
            { tag: 'multi_select_static', name: 'units', placeholder: text('可多选'), selected_values: [], options: units.slice(0, 3).map((u, i) => ({ text: text(u), value: String(i + 1) })) },
            { tag: 'date_picker', name: 'day', placeholder: text('日期') },
            { tag: 'picker_time', name: 'time', placeholder: text('时间') },
            { tag: 'picker_datetime', name: 'at', placeholder: text('截止时间') },
            { tag: 'button', name: 'form_submit', text: text('提交表单'), type: 'primary', form_action_type: 'submit', behaviors: [{ type: 'callback', value: { a: 'demo.form' } }] },
          ],
        },
        {
          tag: 'table',
          page_size: 5,
          header_style: { background_style: 'grey', bold: true },
          columns: [
            { name: 'unit', display_name: '单位', data_type: 'text' },
            { name: 'points', display_name: '得分', data_type: 'number', format: { precision: 1 } },
            { name: 'state', display_name: '状态', data_type: 'options' },
            { name: 'day', display_name: '日期', data_type: 'date', date_format: 'YYYY-MM-DD' },
          ],
          rows: units.map((u, i) => ({
            unit: u,
            points: 10 - i * 1.5,
            state: [{ text: i % 2 ? '待审核' : '已通过', color: i % 2 ? 'orange' : 'green' }],
            day: Date.UTC(2026, 10, 2 + i, 4),
          })),
        },
        {
          tag: 'collapsible_panel',
          expanded: false,
          header: { title: { tag: 'markdown', content: '**查看全文**（200 字）' } },
          elements: [{ tag: 'markdown', content: '这里是折叠面板里的全文。' }],
        },
        {
          tag: 'chart',
          chart_spec: {
            type: 'bar',
            title: { text: '本月得分' },
            data: { values: units.slice(0, 4).map((u, i) => ({ unit: u, points: 16 - i * 4 })) },
            xField: 'unit',
            yField: 'points',
          },
        },
        {
          tag: 'chart',
          chart_spec: {
            type: 'bar',
            direction: 'horizontal',
            data: [{ id: 'd', values: [{ unit: '城关镇', n: 3, kind: '报送' }, { unit: '城关镇', n: 2, kind: '通过' }, { unit: '青石镇', n: 4, kind: '报送' }, { unit: '青石镇', n: 1, kind: '通过' }] }],
            xField: 'n',
            yField: 'unit',
            seriesField: 'kind',
          },
        },
        { tag: 'person_list', persons: [{ id: 'ou_demo_off_liu' }, { id: 'ou_demo_rev_zhang' }], show_name: true },
        { tag: 'markdown', content: '最后更新', text_size: 'notation' },
      ],
    },
  };
}
