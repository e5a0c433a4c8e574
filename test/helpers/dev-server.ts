import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { trackOpenResource } from './open-resources';
import { requiredEnv } from './required-env';

export type DevServerConnection = {
  client: Client;
  /** For the operator and workflow services, e.g. registerSearchAttributes. */
  connection: Connection;
  /** For workers. */
  nativeConnection: NativeConnection;
  namespace: string;
  /** Closes both connections; call it in afterAll, after the workers have stopped. */
  close(): Promise<void>;
};

/** Connections to the run's Temporal dev server (or the one TEMPORAL_ADDRESS points at). */
export async function connectToDevServer(): Promise<DevServerConnection> {
  const address = requiredEnv('TEMPORAL_ADDRESS');
  const namespace = requiredEnv('TEMPORAL_NAMESPACE');

  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const release = trackOpenResource('Dev server connections from connectToDevServer()');

  const close = async (): Promise<void> => {
    await nativeConnection.close();
    await connection.close();
    release();
  };
  return {
    client: new Client({ connection, namespace }),
    connection,
    nativeConnection,
    namespace,
    close,
  };
}
