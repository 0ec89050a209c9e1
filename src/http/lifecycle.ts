/**
 * Where the server is in its life: serving, or draining after SIGTERM. While draining, /readyz
 * fails so the load balancer stops sending new requests, and every response says
 * `Connection: close` so keep-alive clients reconnect elsewhere.
 */
export interface Lifecycle {
  readonly draining: boolean;
  startDraining(): void;
}

export function createLifecycle(): Lifecycle {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    startDraining() {
      draining = true;
    },
  };
}
