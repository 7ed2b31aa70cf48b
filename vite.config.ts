import { defineConfig } from 'vitest/config';

// One config for the app (vite) and the tests (vitest).
// `base: './'` keeps the production build relocatable (relative asset paths).
export default defineConfig({
  base: './',
  // WGSL sources are imported with `?raw`, so the browser bundle, the tests
  // and the CLI all read the very same files from shaders/.
  assetsInclude: ['**/*.wgsl'],
  build: {
    target: 'es2022',
    outDir: 'dist',
    // The pages: the lattice view, the kernel benchmark, parallel tempering, 8 spins, learning, the spin glass.
    rollupOptions: {
      input: {
        main: 'index.html',
        bench: 'bench.html',
        tempering: 'tempering.html',
        spins: 'eight-spins.html',
        learning: 'learning.html',
        glass: 'spin-glass.html',
      },
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // GPU tests share one process-wide Dawn instance per worker; forks keep
    // the native addon out of worker_threads.
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
