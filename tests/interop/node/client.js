#!/usr/bin/env node
// A Luukku client in another language, built from nothing but proto/ and the PKI files.
//
//   node client.js --target HOST:PORT --proto-root DIR --ca FILE --cert FILE --key FILE
//
// Calls grpc.health.v1.Health/Check and luukku.v1.DirectoryService/WhoAmI over
// mutual TLS and prints one JSON line to stdout:
//   {"health":"SERVING","organization":{...},"practitionerId":"node-1",
//    "requestId":"node-interop-1","fingerprint":"..."}
// On any error it prints {"error":{"code":<grpc code>,"details":"..."}} and exits 1.
"use strict";

const fs = require("node:fs");
const { parseArgs } = require("node:util");

const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const DEADLINE_MS = 10_000;
const PRACTITIONER_ID = "node-1";
const REQUEST_ID = "node-interop-1";

const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
};

// The standard health service (grpc/health/v1/health.proto, Check only) as a
// protobufjs JSON descriptor: the repository ships no health.proto, and this
// needs neither a temporary file nor a hand-written codec.
const HEALTH_DESCRIPTOR = {
  nested: {
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: {
                  fields: { service: { type: "string", id: 1 } },
                },
                HealthCheckResponse: {
                  fields: { status: { type: "ServingStatus", id: 1 } },
                  nested: {
                    ServingStatus: {
                      values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 },
                    },
                  },
                },
                Health: {
                  methods: {
                    Check: {
                      requestType: "HealthCheckRequest",
                      responseType: "HealthCheckResponse",
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: "string" },
      "proto-root": { type: "string" },
      ca: { type: "string" },
      cert: { type: "string" },
      key: { type: "string" },
    },
    strict: true,
  });
  for (const name of ["target", "proto-root", "ca", "cert", "key"]) {
    if (!values[name]) {
      throw new Error(`missing --${name}`);
    }
  }
  return values;
}

function deadline() {
  return new Date(Date.now() + DEADLINE_MS);
}

function unary(client, method, request, metadata = new grpc.Metadata()) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: deadline() }, (err, response) => {
      if (err) {
        reject(err);
      } else {
        resolve(response);
      }
    });
  });
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));

  const directoryDefinition = protoLoader.loadSync("luukku/v1/directory.proto", {
    ...LOADER_OPTIONS,
    includeDirs: [opts["proto-root"]],
  });
  const healthDefinition = protoLoader.fromJSON(HEALTH_DESCRIPTOR, LOADER_OPTIONS);
  const luukku = grpc.loadPackageDefinition(directoryDefinition).luukku.v1;
  const health = grpc.loadPackageDefinition(healthDefinition).grpc.health.v1;

  const credentials = grpc.credentials.createSsl(
    fs.readFileSync(opts.ca),
    fs.readFileSync(opts.key),
    fs.readFileSync(opts.cert),
  );
  const channel = new grpc.Channel(opts.target, credentials, {});
  const healthClient = new health.Health(opts.target, credentials, { channelOverride: channel });
  const directoryClient = new luukku.DirectoryService(opts.target, credentials, {
    channelOverride: channel,
  });

  try {
    const status = await unary(healthClient, "Check", { service: "" });

    const metadata = new grpc.Metadata();
    metadata.set("luukku-practitioner-id", PRACTITIONER_ID);
    metadata.set("x-request-id", REQUEST_ID);
    const me = await unary(directoryClient, "WhoAmI", {}, metadata);

    return {
      health: status.status,
      organization: me.organization,
      practitionerId: me.practitioner ? me.practitioner.id : "",
      requestId: me.request_id,
      fingerprint: me.certificate_fingerprint,
    };
  } finally {
    channel.close();
  }
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exitCode = 0;
  },
  (err) => {
    const code = typeof err.code === "number" ? err.code : grpc.status.UNKNOWN;
    const details = typeof err.details === "string" ? err.details : String(err.message || err);
    process.stdout.write(`${JSON.stringify({ error: { code, details } })}\n`);
    process.exitCode = 1;
  },
);
