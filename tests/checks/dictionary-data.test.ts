import { describe, expect, it } from 'vitest';
import { defaultEntries, parseDictionaryTsv } from '../../domain/checks/dictionary-defaults.js';
import { dictionaryFindings } from '../../domain/checks/dictionary-check.js';

describe('the shipped dictionaries', () => {
  it('have at least 300 typo entries, each a distinct wrong form with a different right form', () => {
    const typos = defaultEntries('typo');
    expect(typos.length).toBeGreaterThanOrEqual(300);
    expect(new Set(typos.map((e) => e.term)).size).toBe(typos.length);
    for (const e of typos) {
      expect(e.replacement, e.term).toBeTruthy();
      expect(e.replacement).not.toBe(e.term);
    }
  });

  it('list only exceptions that contain the term they protect', () => {
    for (const kind of ['typo', 'wording', 'sensitive'] as const) {
      for (const e of defaultEntries(kind)) for (const x of e.exceptions) expect(x, `${kind} ${e.term}: ${x}`).toContain(e.term);
    }
  });

  it('cover the required official wordings', () => {
    const wording = new Map(defaultEntries('wording').map((e) => [e.term, e.replacement]));
    expect(wording.get('十八大以来')).toBe('党的十八大以来');
    expect(wording.get('二十大精神')).toBe('党的二十大精神');
    expect(wording.get('习近平新时代特色社会主义思想')).toBe('习近平新时代中国特色社会主义思想');
    expect(wording.get('确立习近平总书记党中央的核心')).toBe('确立习近平同志党中央的核心');
    expect(wording.get('维护党中央权威和统一领导')).toBe('维护党中央权威和集中统一领导');
  });

  it('stay silent on correct official prose (no default entry hits text written right)', () => {
    const prose = [
      '党的十八大以来，以习近平同志为核心的党中央坚持把党的政治建设摆在首位。',
      '深刻领悟“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”。',
      '确立习近平同志党中央的核心、全党的核心地位，确立习近平新时代中国特色社会主义思想的指导地位。',
      '坚决维护习近平同志党中央的核心、全党的核心地位，坚决维护党中央权威和集中统一领导。',
      '深入学习贯彻党的二十大和二十届三中全会精神，毕竟争取群众支持是关键，依托展馆开展教育，按排名先后通报。',
      '组织部长期坚持把政治标准放在首位，通讯速度明显提升，严格守护群众利益，贯彻落实中央八项规定精神。',
      '在新冠疫情防控期间，奥密克戎变异株传播较快，我们既便利群众办事，又恢复盖章审批。',
    ].map((text, i) => ({ paragraph: i + 1, text }));
    for (const kind of ['typo', 'wording'] as const) {
      expect(dictionaryFindings(kind, defaultEntries(kind), prose), kind).toEqual([]);
    }
  });

  it('parse comments, blank lines and exception lists', () => {
    expect(parseDictionaryTsv('# comment\n\n竟争\t竞争\t毕竟争|究竟争\n绝密\n')).toEqual([
      { term: '竟争', replacement: '竞争', exceptions: ['毕竟争', '究竟争'] },
      { term: '绝密', replacement: undefined, exceptions: [] },
    ]);
  });
});
