import { readFileSync } from 'node:fs';
import { createLarkApi } from '../bot/lark-api.js';
import { OrgFileError } from '../domain/roster/org-file.js';
import { ContactLookupError } from '../domain/roster/resolve-people.js';
import { runOrgImport } from '../domain/roster/run-import.js';
import { fail, openForCli } from './open-db.js';

/** npm run org:import -- org.yaml */
async function main(argv: string[]) {
  const path = argv[0];
  if (!path) fail('用法：npm run org:import -- org.yaml（格式见 org.example.yaml）');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    fail(`读取不到文件 ${path}`);
  }
  const { config, handle } = await openForCli('npm run org:import');
  try {
    const lark = config.lark;
    const contact = lark ? createLarkApi({ appId: lark.appId, appSecret: lark.appSecret, baseUrl: lark.baseUrl }) : undefined;
    let s;
    try {
      s = await runOrgImport(handle.db, text, { contact, actor: 'cli:org-import', now: new Date() });
    } catch (err) {
      if (err instanceof OrgFileError || err instanceof ContactLookupError) fail(`${path} 未导入，名册未做任何修改：\n${err.message}`);
      throw err;
    }
    console.log(
      s.changed
        ? `名册已更新：新增单位 ${s.unitsAdded} 个，停用单位 ${s.unitsDeactivated} 个，新增人员 ${s.peopleAdded} 人，新增角色 ${s.rolesAdded} 项，停用角色 ${s.rolesDeactivated} 项。`
        : '名册无变化。',
    );
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).catch(fail);
