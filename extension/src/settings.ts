// Moved to shared/settings.ts. This re-export keeps projects/ (owned elsewhere) building until
// its imports point at shared/; delete it then.
export * from './shared/settings.ts';
