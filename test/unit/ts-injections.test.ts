// Calls on injected members typed by an interface: followed to the class a NestJS provider binds to the token, else to the one class that implements the interface.
import { describe, expect, it } from 'vitest';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { resolveInjectedCalls } from '../../server/src/engine/inputs/ts/injections.js';
import { resolveImportedFunction } from '../../server/src/engine/inputs/ts/resolve.js';
import type { TsFileFacts } from '../../server/src/engine/inputs/ts/types.js';

const CONTROLLER = `import { Controller, Inject, Post, Res } from '@nestjs/common';
import { UseCaseType } from '../common/tokens';
import { IChatUseCase } from './chat.interface';

@Controller('chat')
export class ChatController {
  constructor(@Inject(UseCaseType.CHAT) private readonly chat: IChatUseCase) {}

  @Post()
  async ask(@Res() response) {
    return this.chat.execute({ response });
  }
}
`;

const useCase = (name: string, body: string, heritage = 'implements IChatUseCase') => `import { Injectable } from '@nestjs/common';
import { IChatUseCase } from '../chat.interface';
import { AbstractUseCase } from '../../common/abstract-use-case';

@Injectable()
export class ${name} ${heritage} {
${body}
}
`;

const EXECUTE = `  async execute(input) {
    input.response.setHeader('Content-Type', 'text/event-stream');
    input.response.write('data: hi\\n\\n');
  }`;

function facts(files: Record<string, string>): Map<string, TsFileFacts> {
  const out = new Map<string, TsFileFacts>();
  for (const [file, text] of Object.entries(files)) out.set(file, extractTsFacts(parseTsText(file, text)));
  resolveInjectedCalls(out);
  return out;
}

/** Where the controller's `this.chat.execute()` leads after the pass: the class and method, and the evidence. */
function target(files: Map<string, TsFileFacts>) {
  const file = 'src/chat/chat.controller.ts';
  const controller = files.get(file)!;
  const ref = controller.functions.flatMap((f) => f.importedCalls).find((r) => r.path?.length === 1)!;
  const found = resolveImportedFunction(files, file, ref);
  return { file: found?.file, method: found?.fn.name, via: ref.via?.text };
}

describe('calls on interface-typed injected members', () => {
  it('follow the one class of the workspace that implements the interface', () => {
    const files = facts({ 'src/chat/chat.controller.ts': CONTROLLER, 'src/chat/use-cases/stream-chat.use-case.ts': useCase('StreamChatUseCase', EXECUTE) });
    expect(target(files)).toEqual({ file: 'src/chat/use-cases/stream-chat.use-case.ts', method: 'execute', via: 'IChatUseCase.execute runs StreamChatUseCase.execute: StreamChatUseCase is the one class that implements IChatUseCase' });
  });

  it('are not followed when two classes implement it and no provider says which', () => {
    const files = facts({
      'src/chat/chat.controller.ts': CONTROLLER,
      'src/chat/use-cases/stream-chat.use-case.ts': useCase('StreamChatUseCase', EXECUTE),
      'src/chat/use-cases/plain-chat.use-case.ts': useCase('PlainChatUseCase', '  async execute(input) { return input; }'),
    });
    expect(target(files).file).toBeUndefined();
  });

  it('follow the class the NestJS provider binds to the token when several implement it', () => {
    const files = facts({
      'src/chat/chat.controller.ts': CONTROLLER,
      'src/chat/use-cases/stream-chat.use-case.ts': useCase('StreamChatUseCase', EXECUTE),
      'src/chat/use-cases/plain-chat.use-case.ts': useCase('PlainChatUseCase', '  async execute(input) { return input; }'),
      'src/chat/chat.module.ts': `import { Module } from '@nestjs/common';
import { UseCaseType } from '../common/tokens';
import { ChatController } from './chat.controller';
import { PlainChatUseCase } from './use-cases/plain-chat.use-case';
import { StreamChatUseCase } from './use-cases/stream-chat.use-case';

@Module({
  controllers: [ChatController],
  providers: [
    { provide: UseCaseType.CHAT, useClass: StreamChatUseCase },
    { provide: UseCaseType.SUMMARY, useClass: PlainChatUseCase },
  ],
})
export class ChatModule {}
`,
    });
    expect(target(files)).toMatchObject({ file: 'src/chat/use-cases/stream-chat.use-case.ts', method: 'execute' });
    expect(target(files).via).toContain('the provider for UseCaseType.CHAT uses StreamChatUseCase (src/chat/chat.module.ts)');
  });

  it('lead an inherited method to the one public method when the base class is not in the workspace', () => {
    const body = `  public async implementation(input) {
    this.setup(input.response);
  }
  private setup(response) {
    response.setHeader('Content-Type', 'text/event-stream');
  }`;
    const files = facts({ 'src/chat/chat.controller.ts': CONTROLLER, 'src/chat/use-cases/stream-chat.use-case.ts': useCase('StreamChatUseCase', body, 'extends AbstractUseCase implements IChatUseCase') });
    expect(target(files)).toMatchObject({ file: 'src/chat/use-cases/stream-chat.use-case.ts', method: 'implementation' });
    expect(target(files).via).toContain('execute is inherited from AbstractUseCase, which is not in the workspace, and implementation is the class\'s one public method');
  });

  it('stop at a method inherited from a base outside the workspace when the class has several public methods', () => {
    const two = `  public async implementation(input) { return input; }\n  public async describe() { return 'x'; }`;
    expect(target(facts({ 'src/chat/chat.controller.ts': CONTROLLER, 'src/chat/use-cases/stream-chat.use-case.ts': useCase('StreamChatUseCase', two, 'extends AbstractUseCase implements IChatUseCase') })).file).toBeUndefined();
  });

  it('follow a base class in the workspace: its method, and the hooks it calls that the class implements', () => {
    const body = `  public async implementation(input) {\n    input.response.setHeader('Content-Type', 'text/event-stream');\n  }\n  public async describe() { return 'x'; }`;
    const files = facts({
      'src/chat/chat.controller.ts': CONTROLLER,
      'src/chat/use-cases/stream-chat.use-case.ts': useCase('StreamChatUseCase', body, 'extends AbstractUseCase implements IChatUseCase'),
      'src/common/abstract-use-case.ts': `export abstract class AbstractUseCase {\n  async execute(input) {\n    const started = Date.now();\n    try { return await this.implementation(input); } finally { console.log(Date.now() - started, 'timeout budget'); }\n  }\n  protected abstract implementation(input): Promise<void>;\n}\n`,
    });
    const controller = files.get('src/chat/chat.controller.ts')!;
    const refs = controller.functions.flatMap((f) => f.importedCalls).filter((r) => r.via);
    const reached = refs.map((r) => resolveImportedFunction(files, 'src/chat/chat.controller.ts', r)).map((f) => `${f?.file}#${f?.fn.name}`);
    expect(reached).toEqual(['src/common/abstract-use-case.ts#execute', 'src/chat/use-cases/stream-chat.use-case.ts#implementation']);
    expect(refs[1]!.via!.text).toBe('IChatUseCase.execute runs StreamChatUseCase.implementation: StreamChatUseCase is the one class that implements IChatUseCase; execute is inherited from AbstractUseCase, which calls this.implementation()');
  });
});
