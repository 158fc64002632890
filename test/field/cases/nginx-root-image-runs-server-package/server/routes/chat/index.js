import registerCompletionRoutes from './completionRoutes.js';

export default function registerChatRoutes(app, deps) {
  registerCompletionRoutes(app, deps);
}
