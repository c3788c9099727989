// Moved to ../commandContext.ts. This re-export keeps projects/ (owned elsewhere) building until
// its imports point there; delete it (and this folder) then.
export * from '../commandContext.ts';
