import { defineConfig } from 'vite';

// The API embeds dist/ and serves it under /jobs/assets/; it reads dist/.vite/manifest.json to find the hashed
// entry files, so the HTML pages are rendered by the API, not by vite.
export default defineConfig({
  base: '/jobs/assets/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    assetsDir: '',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      input: { jobs: 'src/main.js' },
    },
  },
});
