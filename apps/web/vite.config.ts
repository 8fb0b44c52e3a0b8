import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @erp/web` serves the app on :5173 and proxies /api to a running server
// (ERP_API, default http://localhost:3000). `vite build` writes dist/, which the server serves.
export default defineConfig({
  plugins: [react()],
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: { '/api': { target: process.env.ERP_API ?? 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Two entries: the back office (index.html) and the till (pos.html, served for /pos/*).
    rolldownOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html'), pos: resolve(import.meta.dirname, 'pos.html') },
    },
  },
});
