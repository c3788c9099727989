// The view's side of the connection to the extension host: VS Code's webview API, the shared IPC
// endpoint on top of it, and the state VS Code keeps for the panel (handed to the serializer
// after a window reload).
import { IpcEndpoint } from '../../protocol/ipc.ts';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection {
  readonly ipc: IpcEndpoint;
  getState(): unknown;
  setState(state: unknown): void;
}

export function connectToHost(): HostConnection {
  const api = acquireVsCodeApi();
  const ipc = new IpcEndpoint((m) => api.postMessage(m), {
    // Random start: see IpcEndpointOptions.firstId. Not a secret, only a collision guard.
    firstId: 1 + Math.floor(Math.random() * 2 ** 30),
    onUnhandledError: (e, method) => console.error(`[${method}]`, e),
  });
  window.addEventListener('message', (e: MessageEvent) => {
    ipc.receive(e.data);
  });
  window.addEventListener('unload', () => ipc.dispose());
  return { ipc, getState: () => api.getState(), setState: (s) => api.setState(s) };
}
