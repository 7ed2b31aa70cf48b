export * from './philox.ts';
export * from './streams.ts';
export * from './planes.ts';
