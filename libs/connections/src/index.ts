export * from './lib/connection-roles';
export * from './lib/create-connection';
export * from './lib/connection-tokens';
export * from './lib/connection-health';
export * from './lib/connections.module';
export * from './lib/sync-indexes';
export * from './lib/sync-derived-keys';
export { withAggregationBudget } from './lib/aggregation-budget';
export * from './lib/server-capabilities';
