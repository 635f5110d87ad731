import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * The dashboard's static files (index.html, app.js, chart.js, style.css): plain HTML and JS, no build
 * step. The same relative path resolves from src/dashboard/ (tests) and dist/dashboard/ (built).
 */
export const DASHBOARD_DIR = fileURLToPath(new URL("../../src/dashboard/public/", import.meta.url));

/** Serves the dashboard at `/` (and its assets under `/dashboard/`). */
export async function registerDashboard(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: DASHBOARD_DIR,
    prefix: "/dashboard/",
    wildcard: false,
    index: false,
    cacheControl: true,
    maxAge: 0,
  });
  const query = {
    type: "object",
    additionalProperties: false,
    properties: { interval: { type: "integer", minimum: 500, maximum: 3_600_000 } },
  };
  app.get("/", { schema: { querystring: query } }, (_req, reply) => reply.sendFile("index.html"));
}
