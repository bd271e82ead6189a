import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local front for the site that hands out its HTML a little at a time, as a slow mobile
 * connection does, so the browser paints pages it has only half read. Everything else passes
 * through whole. Uncompressed, so each piece is exactly `piece` bytes of markup.
 */
export async function slowHtmlFront(site: string, piece = 512, pauseMs = 30) {
  const server = http.createServer((request, response) => {
    const headers = { ...request.headers };
    delete headers["accept-encoding"];
    const upstream = http.request(new URL(request.url ?? "/", site), { method: request.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", async () => {
        const body = Buffer.concat(chunks);
        const passed = { ...answer.headers };
        delete passed["content-length"];
        delete passed["transfer-encoding"];
        response.writeHead(answer.statusCode ?? 502, passed);
        if ((answer.headers["content-type"] ?? "").startsWith("text/html")) {
          for (let start = 0; start < body.length; start += piece) {
            response.write(body.subarray(start, start + piece));
            await new Promise((resume) => setTimeout(resume, pauseMs));
          }
        } else {
          response.write(body);
        }
        response.end();
      });
    });
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
