// Moved to shared/logger.ts. This re-export keeps languageClient.ts (owned elsewhere) building
// until its import points at shared/; delete it then.
export * from './shared/logger.ts';
