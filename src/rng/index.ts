export * from './philox.ts';
export * from './streams.ts';
export * from './cluster-words.ts';
export * from './planes.ts';
