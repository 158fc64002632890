type Notice = { id: string; text: string };
const subscribers = new Map<string, (n: Notice) => void>();

export const inbox = {
  subscribe(userId: string, listener: (n: Notice) => void) {
    subscribers.set(userId, listener);
    return () => subscribers.delete(userId);
  },
  list(_userId: string): Notice[] {
    return [];
  },
};
