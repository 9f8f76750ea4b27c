import * as path from 'node:path';
import express, { type Express } from 'express';

/** The dashboard's own files (HTML, script, style), in `gateway/dashboard/`. */
export const DASHBOARD_DIR = path.resolve(__dirname, '../../../dashboard');

/** The third-party browser files the dashboard loads, served from node_modules: no CDN, works offline. */
/** A package's folder from its main file, which both packages keep in `dist/`. */
const packageDir = (name: string): string => path.resolve(path.dirname(require.resolve(name)), '..');
const VENDOR_FILES: Readonly<Record<string, string>> = {
  'uPlot.iife.min.js': path.join(packageDir('uplot'), 'dist/uPlot.iife.min.js'),
  'uPlot.min.css': path.join(packageDir('uplot'), 'dist/uPlot.min.css'),
  'htm-preact-standalone.mjs': path.join(packageDir('htm'), 'preact/standalone.mjs'),
};

/**
 * Serves the finance desk at `/dashboard/` (public static files: the page asks for the user's API key and sends it
 * as a bearer token with each API call; the files themselves hold no data).
 */
export function registerDashboard(app: Express): void {
  app.get('/dashboard/vendor/:file', (req, res, next) => {
    const file = VENDOR_FILES[req.params.file];
    if (file === undefined) {
      next();
      return;
    }
    res.sendFile(file, { maxAge: '1h' });
  });
  app.use('/dashboard', express.static(DASHBOARD_DIR, { index: 'index.html', maxAge: 0 }));
}
