// esbuild bundles CSS imported from a view's main.ts into dist/webviews/<view>.css.
declare module '*.css';
