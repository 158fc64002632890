// The engine's API for rules: defining a rule, the data model, chains and budgets, and the helpers rules share.
// Rules import this module and, for an input's model, that input's `inputs/<input>/api.ts`; test/meta/boundaries.test.ts forbids them any other engine module.
export { defineRule, type Rule, type RuleContext } from './rule.js';
export type { FileId, Fix, Related, SeverityOrOff, Span, TextEdit } from './types.js';
export type { SharedSettings, SourceText, WorkspaceModel } from './workspace-model.js';
export { exactNginxRespelling, exactNginxSpelling, formatDuration, parseGatewayApiDuration, parseGoDuration, parseNginxTime, readIntendedNginxTime, type NginxTimeError } from './units.js';
export { LineIndex, indentationAt } from './text.js';
export { compileJsPattern, compilePcrePattern, type SafeRegex } from './safe-regex.js';
export { containsTemplateExpression } from './yaml/templates.js';
export { plainScalarType, type ScalarFact } from './yaml/view.js';
export { chainsOf } from './chain/chains.js';
export { databaseSettingsOf } from './chain/database-settings.js';
export type { DatabaseServer, DatabaseSetting, DatabaseSettings } from './database-settings.js';
export { giveUpAfter, mayTake, nextBoundedHop, spokenDuration, unknownBound, type GiveUp, type MayTake } from './chain/budget.js';
export type { Chain, ChainModel, Hop, HopAttempts, HopKind, HopTimeout, UnresolvedLink } from './chain/chain-types.js';
