import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * The web UI's static files (index.html, app.js, pages.js, format.js, chart.js, style.css): plain
 * HTML and JS modules, no build step. The same relative path resolves from src/web/ (tests) and
 * dist/web/ (built).
 */
export const WEB_DIR = fileURLToPath(new URL("../../src/web/public/", import.meta.url));

/** Page paths the single-page UI routes itself; each serves index.html. */
export const UI_ROUTES = [
  "/",
  "/blocks",
  "/transactions",
  "/block/:id",
  "/tx/:id",
  "/address/:address",
  "/mempool",
  "/richlist",
  "/charts",
  "/search",
];

/** Serves the UI's assets under /static/ and index.html at every page path; JSON 404 elsewhere. */
export async function registerWebUi(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: WEB_DIR,
    prefix: "/static/",
    wildcard: false,
    index: false,
    cacheControl: true,
    maxAge: 0,
  });
  for (const path of UI_ROUTES) app.get(path, (_req, reply) => reply.sendFile("index.html"));
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ status: "error", code: "not-found", message: `no route ${req.method} ${req.url}` }),
  );
}
