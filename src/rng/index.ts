export * from './philox.ts';
export * from './streams.ts';
