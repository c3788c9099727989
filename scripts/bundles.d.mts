import type { BuildOptions } from 'esbuild';

export declare const NODE_TARGET: string;
export declare function languageServerBuild(root: string): BuildOptions;
