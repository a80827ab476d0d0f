// The module map of docs/architecture.md, enforced by `npm test` (npm run check:imports).
// Each module may import only the modules listed for it; nothing imports src/server; modules never
// import src/integrations; no cycles. A new module gets a line here and a row in the doc.
const allowedModules = {
  core: [],
  audit: ['core'],
  staff: ['core', 'audit'],
  places: ['core'],
  subscribers: ['core', 'audit', 'places', 'staff', 'jobs'],
  network: ['core', 'places', 'subscribers', 'settings', 'jobs', 'live'],
  identification: ['core', 'audit', 'places', 'subscribers', 'staff'],
  card: ['core', 'audit', 'staff', 'places', 'subscribers', 'network', 'contacts'],
  jobs: ['core'],
  live: ['core', 'staff'],
  settings: ['core', 'audit', 'staff'],
  contacts: ['core', 'audit', 'staff', 'places', 'subscribers', 'identification', 'settings', 'jobs', 'live'],
  'nas-sessions': ['core', 'subscribers', 'network', 'settings', 'jobs', 'live'],
};

const moduleRules = Object.entries(allowedModules).map(([module, allowed]) => ({
  name: `module-${module}`,
  comment: `${module} may import only: ${allowed.join(', ') || 'nothing but common, config and db'}`,
  severity: 'error',
  from: { path: `^src/modules/${module}/`, pathNot: '\\.test\\.ts$' },
  to: {
    path: '^src/modules/([^/]+)/',
    pathNot: [`^src/modules/(${[module, ...allowed].join('|')})/`],
  },
}));

module.exports = {
  forbidden: [
    ...moduleRules,
    {
      name: 'unknown-module',
      comment: 'every module has a line in allowedModules (and in docs/architecture.md)',
      severity: 'error',
      from: {},
      to: { path: '^src/modules/', pathNot: `^src/modules/(${Object.keys(allowedModules).join('|')})/` },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-server',
      comment: 'src/server wires the app at start; only tests build it through src/testing',
      severity: 'error',
      from: { pathNot: ['^src/server/', '^src/testing/', '\\.test\\.ts$', '^bench/', '^e2e/'] },
      to: { path: '^src/server/' },
    },
    {
      name: 'modules-do-not-command-the-outside',
      comment: 'a module declares the interface it needs; src/integrations implements it; src/server wires them',
      severity: 'error',
      from: { path: '^src/(modules|common|db)/' },
      to: { path: '^src/integrations/' },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '^src/testing/', '^src/modules/[^/]+/quality/'] },
      to: { path: ['\\.test\\.ts$', '^src/testing/', '^src/modules/[^/]+/quality/'] },
    },
    {
      name: 'common-stands-alone',
      comment: 'src/common is shared with the web app: it imports nothing of the server',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'everything-resolves',
      comment: 'an import the check cannot resolve is an import it cannot judge',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^(\\.|@common/)' },
    },
    {
      name: 'web-imports-only-common',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'modules-do-not-import-cli-or-demo-data',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: ['\\.test\\.ts$', '^src/modules/[^/]+/quality/'] },
      to: { path: '^src/(cli|demo-data)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // Its paths carry the web app's alias @common (web/tsconfig.json, vite.config.ts) so web imports resolve.
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['node_modules', 'web/dist', '\\.d\\.ts$'] },
  },
};
