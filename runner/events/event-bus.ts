import type { SecretMasker } from '../vars/secret-masker.js';
import type { EventListener, RunEvent } from './run-event.js';

/** Delivers each event to every listener after masking secrets, so no renderer can leak one. */
export class EventBus {
  private readonly listeners: EventListener[] = [];

  constructor(private readonly masker: SecretMasker) {}

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(event: RunEvent): void {
    const masked = this.masker.maskDeep(event);
    for (const listener of this.listeners) listener(masked);
  }
}
