// The syntax tree of a parsed Go text/template: every node keeps its span (UTF-16 offsets into the template source).

export interface Span {
  start: number;
  end: number;
}

/** An operand of a command. */
export type ArgNode =
  | ({ type: 'field'; names: string[] } & Span)
  | ({ type: 'variable'; name: string; names: string[] } & Span)
  | ({ type: 'chain'; node: ArgNode; names: string[] } & Span)
  | ({ type: 'identifier'; name: string } & Span)
  | ({ type: 'dot' } & Span)
  | ({ type: 'nil' } & Span)
  | ({ type: 'bool'; value: boolean } & Span)
  | ({ type: 'number'; int?: bigint; float?: number; isFloatText: boolean; text: string } & Span)
  | ({ type: 'string'; value: string } & Span)
  | ({ type: 'pipe'; pipe: PipeNode } & Span);

export interface CommandNode extends Span {
  args: ArgNode[];
}

export interface PipeNode extends Span {
  /** Declared or assigned variables (`$x := …`, `$i, $v := …`). */
  decl: string[];
  isAssign: boolean;
  cmds: CommandNode[];
}

export type Node =
  | ({ type: 'text'; text: string } & Span)
  | ({ type: 'action'; pipe: PipeNode } & Span)
  | ({ type: 'if' | 'with'; pipe: PipeNode; list: Node[]; elseList: Node[] | null } & Span)
  | ({ type: 'range'; pipe: PipeNode; list: Node[]; elseList: Node[] | null } & Span)
  | ({ type: 'template'; name: string; pipe: PipeNode | null } & Span)
  | ({ type: 'break' } & Span)
  | ({ type: 'continue' } & Span);

/** One parsed source: its body and the templates it defines (`define` and `block`). */
export interface ParsedTemplate {
  name: string;
  source: string;
  body: Node[];
  defines: Map<string, Node[]>;
}
