import { EventEmitter } from 'node:events';

export interface ShipmentEvent { kind: 'position' | 'status'; at: string; payload: unknown }

const bus = new EventEmitter();
const shipments = new Map<string, { id: string; status: string }>();

export async function findShipment(id: string) {
  return shipments.get(id);
}

export function onShipmentEvent(id: string, listener: (event: ShipmentEvent) => void): () => void {
  bus.on(id, listener);
  return () => bus.off(id, listener);
}
