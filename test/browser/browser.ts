import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's Chromium (.ci/run installs it when missing). */
export const CHROMIUM = process.env.CREDITCAST_CHROMIUM ?? '/usr/bin/chromium';

/** A headless Chromium with a fresh profile that reaches nothing on its own (no updates, no sync). */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'creditcast-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did while it opened: console errors, page errors, dialogs, and every request that left the file. */
export interface PageLog {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens a report from disk; every request but the file itself is blocked and logged. */
export async function openReport(browser: Browser, file: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1150, height: 900 });
  const log: PageLog = { errors: [], requests: [], dialogs: [] };
  const url = pathToFileURL(file).href;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) void request.continue();
    else {
      log.requests.push(request.url());
      void request.abort();
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') log.errors.push(message.text());
  });
  page.on('pageerror', (error) => log.errors.push(String(error)));
  page.on('dialog', (dialog) => {
    log.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, log };
}

/** For each chart: its title and how many of its canvas pixels are drawn (neither transparent nor white). */
export async function chartPixels(page: Page): Promise<{ title: string; pixels: number }[]> {
  // Run in the page (the tests are compiled without the DOM's types).
  return page.evaluate(`window.__charts.map(function (chart) {
    var canvas = chart.holder.querySelector('canvas');
    var image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    var pixels = 0;
    for (var i = 0; i < image.length; i += 4) {
      if (image[i + 3] > 0 && !(image[i] === 255 && image[i + 1] === 255 && image[i + 2] === 255)) pixels++;
    }
    return { title: chart.title, pixels: pixels };
  })`) as Promise<{ title: string; pixels: number }[]>;
}
