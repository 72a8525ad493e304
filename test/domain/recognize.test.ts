import { loadCatalog } from '../../src/domain/catalog.js';
import type { ProductRef } from '../../src/domain/catalog.js';
import { extractProductQuery, recognizeProduct } from '../../src/domain/recognize.js';

const catalog = loadCatalog();
const ref = (familyId: string, versionId?: string): ProductRef => (versionId ? { familyId, versionId } : { familyId });

describe('recognizeProduct: one product', () => {
  it.each<[string, ProductRef]>([
    ['sql 2019', ref('sql-server', '2019')],
    ['SQL Server 2019', ref('sql-server', '2019')],
    ['sql2019', ref('sql-server', '2019')],
    ['SQLServer2019', ref('sql-server', '2019')],
    ['MS-SQL 2019', ref('sql-server', '2019')],
    ['is SQL Server 2019 covered?', ref('sql-server', '2019')],
    ['WS2022', ref('windows-server', '2022')],
    ['Windows Server 2022', ref('windows-server', '2022')],
    ['win server 2022', ref('windows-server', '2022')],
    ['windows   server,2022', ref('windows-server', '2022')],
    ['Exchange SE', ref('exchange-server', 'se')],
    ['Exchange Server Subscription Edition', ref('exchange-server', 'se')],
    ['SharePoint 2019', ref('sharepoint-server', '2019')],
    ['Office LTSC 2021', ref('office-perpetual', 'ltsc-2021')],
    ['Windows 10 Enterprise LTSC 2021', ref('windows-10-ltsc', '2021')],
    ['win10 ltsc 2019', ref('windows-10-ltsc', '2019')],
    ['Skype for Business Server 2019', ref('skype-for-business-server', '2019')],
    ['BizTalk 2020', ref('biztalk-server', '2020')],
    ['Visual Studio 2022', ref('visual-studio', '2022')],
    ['System Center 2025', ref('system-center', '2025')],
    ['Windows 10 22H2', ref('windows-10', '22h2')],
  ])('[E1] "%s" is %j', (text, product) => {
    expect(recognizeProduct(text, catalog)).toMatchObject({ kind: 'match', product, fuzzy: false });
  });

  it.each<[string, string]>([
    ['Azure', 'azure'],
    ['can I get help with azure?', 'azure'],
    ['D365', 'dynamics-365'],
    ['Dynamics', 'dynamics-365'],
    ['Business Central', 'dynamics-365'],
    ['Power BI', 'power-platform'],
    ['power automate', 'power-platform'],
    ['M365', 'microsoft-365'],
    ['O365', 'microsoft-365'],
    ['Office 365', 'microsoft-365'],
    ['Exchange Online', 'microsoft-365'],
    ['SharePoint Online', 'microsoft-365'],
    ['Teams', 'microsoft-365'],
    ['Intune', 'intune'],
    ['EMS', 'intune'],
    ['Enterprise Mobility + Security', 'intune'],
    ['Defender for Endpoint', 'microsoft-defender'],
    ['Sentinel', 'microsoft-sentinel'],
    ['Entra ID', 'microsoft-entra'],
    ['Azure AD', 'microsoft-entra'],
  ])('[C2] cloud product "%s" is %s (no version needed)', (text, familyId) => {
    expect(recognizeProduct(text, catalog)).toMatchObject({ kind: 'match', product: { familyId } });
  });

  it.each<[string, ProductRef]>([
    ['윈도우 서버 2022', ref('windows-server', '2022')],
    ['윈도우서버 2022는 지원되나요?', ref('windows-server', '2022')],
    ['SQL 서버 2019', ref('sql-server', '2019')],
    ['SQL서버2019 지원돼?', ref('sql-server', '2019')],
    ['애저', ref('azure')],
    ['애저는 지원되나요', ref('azure')],
    ['익스체인지 2019', ref('exchange-server', '2019')],
    ['다이나믹스 365 혜택 사용 가능한가요?', ref('dynamics-365')],
    ['팀즈', ref('microsoft-365')],
  ])('[E1][C2] Korean "%s" is %j', (text, product) => {
    expect(recognizeProduct(text, catalog)).toMatchObject({ kind: 'match', product });
  });

  it.each<[string, ProductRef]>([
    ['sql servr 2019', ref('sql-server', '2019')],
    ['windos server 2022', ref('windows-server', '2022')],
    ['Windows Sever 2025', ref('windows-server', '2025')],
    ['exchnage 2019', ref('exchange-server', '2019')],
    ['sharepiont server 2019', ref('sharepoint-server', '2019')],
    ['azrue', ref('azure')],
    ['익스채인지 2016', ref('exchange-server', '2016')],
  ])('[E1] a small typo is still recognised and flagged as fuzzy: "%s"', (text, product) => {
    const r = recognizeProduct(text, catalog);
    expect(r).toMatchObject({ kind: 'match', product });
    if (r.kind === 'match') expect(r.fuzzy || r.product.familyId === 'sql-server').toBe(true);
  });

  it('[E1] every family name with every version label is recognised exactly', () => {
    const misses: string[] = [];
    for (const family of catalog.families) {
      const texts: Array<[string, ProductRef]> =
        family.versions.length === 0 ? [[family.name, ref(family.id)]] : family.versions.map((v) => [`${family.name} ${v.label}`, ref(family.id, v.id)]);
      for (const [text, product] of texts) {
        const r = recognizeProduct(text, catalog);
        if (r.kind !== 'match' || r.product.familyId !== product.familyId || r.product.versionId !== product.versionId) misses.push(`${text} -> ${JSON.stringify(r)}`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('[E1] every alias in the catalogue leads to its own family', () => {
    const misses: string[] = [];
    for (const family of catalog.families) {
      for (const alias of family.aliases) {
        const r = recognizeProduct(alias, catalog);
        const families = r.kind === 'match' ? [r.product.familyId] : r.kind === 'ambiguous' ? r.candidates.map((c) => c.product.familyId) : [];
        if (!families.includes(family.id) || new Set(families).size !== 1) misses.push(`${alias} -> ${JSON.stringify(r)}`);
      }
    }
    expect(misses).toEqual([]);
  });
});

describe('recognizeProduct: never a silent guess', () => {
  it.each<[string, string, string[]]>([
    ['sql server', 'sql-server', ['2025', '2022', '2019', '2017', '2016']],
    ['Is SQL covered?', 'sql-server', ['2025', '2022', '2019', '2017', '2016']],
    ['windows server', 'windows-server', ['2025', '2022', '2019', '2016']],
    ['exchange', 'exchange-server', ['se', '2019', '2016']],
    ['BizTalk', 'biztalk-server', ['2020']],
    ['SQL 서버', 'sql-server', ['2025', '2022', '2019', '2017', '2016']],
    ['sql server error 1205', 'sql-server', ['2025', '2022', '2019', '2017', '2016']],
  ])('[E1] "%s" without a version is ambiguous and lists the %s versions, newest first', (text, familyId, versions) => {
    const r = recognizeProduct(text, catalog);
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    expect(r.reason).toBe('versionMissing');
    expect(r.candidates.map((c) => c.product)).toEqual(versions.map((v) => ref(familyId, v)));
    expect(r.candidates[0].label).toMatch(/\S+ \S+/);
  });

  it.each<[string, string]>([
    ['windows server 2012', 'windows-server'],
    ['Windows Server 2012 R2', 'windows-server'],
    ['sql server 2008', 'sql-server'],
    ['exchange 2013', 'exchange-server'],
  ])('[O1][O2] "%s" names a version the catalogue does not cover: none, with the %s versions as suggestions', (text, familyId) => {
    const r = recognizeProduct(text, catalog);
    expect(r).toMatchObject({ kind: 'none', reason: 'unknownVersion' });
    if (r.kind !== 'none') return;
    expect(r.suggestions.length).toBeGreaterThan(0);
    expect(r.suggestions.every((s) => s.product.familyId === familyId && s.product.versionId)).toBe(true);
  });

  it('[E1] two products in one message are ambiguous, each with its own version', () => {
    const r = recognizeProduct('SQL Server 2019 on Windows Server 2022', catalog);
    expect(r).toEqual({
      kind: 'ambiguous',
      reason: 'severalProducts',
      candidates: [
        { product: ref('sql-server', '2019'), label: 'SQL Server 2019' },
        { product: ref('windows-server', '2022'), label: 'Windows Server 2022' },
      ],
    });
  });

  it('[E1] two versions of one product are ambiguous', () => {
    const r = recognizeProduct('sql server 2017 or 2019', catalog);
    expect(r).toMatchObject({ kind: 'ambiguous', reason: 'severalProducts' });
    if (r.kind === 'ambiguous') expect(r.candidates.map((c) => c.product.versionId).sort()).toEqual(['2017', '2019']);
  });

  it.each<[string, string[]]>([
    ['server 2019', ['windows-server', 'sql-server', 'exchange-server', 'sharepoint-server']],
    ['windows 11', ['windows-11-ltsc']],
    ['ltsc 2021', ['office-perpetual', 'windows-10-ltsc']],
    ['oracle database 19c', []],
  ])('[E1] "%s" matches no product; suggestions: %j', (text, expected) => {
    const r = recognizeProduct(text, catalog);
    expect(r.kind).toBe('none');
    if (r.kind !== 'none') return;
    expect(r.reason).toBe('unknownProduct');
    const families = r.suggestions.map((s) => s.product.familyId);
    for (const f of expected) expect(families).toContain(f);
    if (expected.length === 0) expect(r.suggestions).toEqual([]);
  });

  it('[E1] suggestions carry the version the user typed when the family has it', () => {
    const r = recognizeProduct('server 2019', catalog);
    if (r.kind !== 'none') throw new Error('expected none');
    expect(r.suggestions.find((s) => s.product.familyId === 'sql-server')?.product.versionId).toBe('2019');
  });

  it.each(['', '   ', 'is it covered?', '지원되나요?', 'my team has a question'])('[E1] "%s" recognises nothing', (text) => {
    expect(recognizeProduct(text, catalog).kind).toBe('none');
  });
});

describe('extractProductQuery', () => {
  it.each<[string, string]>([
    ['is SQL Server 2019 covered?', 'sql server 2019'],
    ['Is Windows Server 2022 supported by our benefits?', 'windows server 2022'],
    ['Can we open an incident for Exchange SE?', 'exchange se'],
    ['SQL 서버 2019 지원되나요?', 'sql 서버 2019'],
    ['윈도우 서버 2022는 지원 가능한가요', '윈도우 서버 2022'],
    ['sql2019', 'sql 2019'],
  ])('[E1] "%s" -> "%s"', (text, query) => {
    expect(extractProductQuery(text)).toBe(query);
  });
});
