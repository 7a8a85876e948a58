import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The console is served by Scanport at /console/ (dist/ is copied into the app's build by Scanport.csproj).
// `npm run dev` serves it on Vite's own port and forwards the API paths to Scanport started by ./run.
const scanport = process.env.SCANPORT_URL ?? 'http://127.0.0.1:8080';
const apiPaths = ['/platform', '/openapi', '/api', '/aps/api', '/scanace', '/v1', '/ws', '/modelderivative'];

export default defineConfig({
  base: '/console/',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline script or style: the page's Content-Security-Policy allows files from this origin only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // three.js (~590 kB, ~150 kB gzip) is one chunk shared by the point-cloud and model pages, fetched only when one is
    // opened; the first page's JavaScript stays small (bench/console/run.sh measures it).
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: scanport, ws: path === '/ws' }])),
  },
});
