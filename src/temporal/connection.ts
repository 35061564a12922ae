/**
 * Connections to Temporal from configuration: a local dev server, a self-hosted cluster
 * with mutual TLS, or Temporal Cloud with an API key.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { TandemConfig } from '../config/env.ts';

type TemporalConfig = TandemConfig['temporal'];

function tlsOptions(temporal: TemporalConfig): ConnectionOptions['tls'] {
  const tls = temporal.tls;
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caPath ? readFileSync(tls.caPath) : undefined,
    clientCertPair: tls.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined,
  };
}

export async function connectClient(temporal: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({
    address: temporal.address,
    tls: tlsOptions(temporal),
    apiKey: temporal.apiKey,
  });
  return new Client({ connection, namespace: temporal.namespace });
}

export async function connectWorker(temporal: TemporalConfig): Promise<NativeConnection> {
  const options: NativeConnectionOptions = {
    address: temporal.address,
    tls: tlsOptions(temporal) as NativeConnectionOptions['tls'],
    apiKey: temporal.apiKey,
  };
  return NativeConnection.connect(options);
}
