// `chains --format mermaid|dot`: the chains as one graph; a hop shared by several chains is one node, each edge names the outer hop's timer.
import { spokenDuration } from '../../../engine/chain/budget.js';
import type { ChainModel } from '../../../engine/chain/chain-types.js';
import { printable } from '../escape.js';
import { budgetsOf, ChainLocator, hopKey, type ChainFormatOptions, type ChainSources } from '../../../engine/chain/describe.js';

interface GraphNode {
  id: string;
  label: string;
  place: string;
  /** A place where a chain stops (an unresolved link), drawn dashed. */
  stop?: boolean;
}

interface GraphEdge {
  from: string;
  to: string;
  /** `proxy_read_timeout 60 s`: the timer that makes the outer hop give up; empty when nothing bounds it. */
  label: string;
  stop?: boolean;
}

interface ChainGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Nodes in first-seen order, edges deduplicated by their ends (the first chain's label wins). */
export function chainGraph(chains: ChainModel, model: ChainSources, options: ChainFormatOptions = {}): ChainGraph {
  const locator = new ChainLocator(model, options.cwdPrefix);
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const nodeFor = (key: string, make: (id: string) => GraphNode): GraphNode => {
    let node = nodes.get(key);
    if (!node) {
      node = make(`n${nodes.size + 1}`);
      nodes.set(key, node);
    }
    return node;
  };
  for (const chain of chains.chains) {
    const budgets = budgetsOf(chain);
    const ids = chain.hops.map((hop) => nodeFor(hopKey(hop), (id) => ({ id, label: hop.label, place: locator.where(hop.span) })).id);
    for (let i = 0; i + 1 < ids.length; i++) {
      const giveUp = budgets[i]!.giveUp;
      const key = `${ids[i]}>${ids[i + 1]}`;
      if (!edges.has(key)) edges.set(key, { from: ids[i]!, to: ids[i + 1]!, label: giveUp ? `${giveUp.timeout.knob} ${spokenDuration(giveUp.ms)}` : '' });
    }
    if (chain.unresolved && ids.length > 0) {
      const link = chain.unresolved;
      const stop = nodeFor(`stop\u0000${link.span.file}\u0000${link.span.start}\u0000${link.message}`, (id) => ({ id, label: link.message, place: locator.where(link.span), stop: true }));
      const last = ids[ids.length - 1]!;
      const key = `${last}>${stop.id}`;
      if (!edges.has(key)) edges.set(key, { from: last, to: stop.id, label: 'stops', stop: true });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Mermaid `flowchart LR`. Labels are quoted; characters Mermaid would read as syntax or HTML
 * (`"`, `#`, `<`, `>`, brackets, braces, `|`, backticks) are written as `#code;` entities.
 */
export function formatChainsMermaid(chains: ChainModel, model: ChainSources, options: ChainFormatOptions = {}): string {
  const graph = chainGraph(chains, model, options);
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const text = `${mermaidText(node.label)}<br/>${mermaidText(node.place)}`;
    lines.push(node.stop ? `  ${node.id}{{"${text}"}}` : `  ${node.id}["${text}"]`);
  }
  for (const edge of graph.edges) {
    const arrow = edge.stop ? '-.->' : '-->';
    lines.push(edge.label ? `  ${edge.from} ${arrow}|"${mermaidText(edge.label)}"| ${edge.to}` : `  ${edge.from} ${arrow} ${edge.to}`);
  }
  return `${lines.join('\n')}\n`;
}

const MERMAID_ENTITIES: Record<string, string> = {
  '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '[': '#91;', ']': '#93;', '{': '#123;', '}': '#125;', '|': '#124;', '`': '#96;',
};

export function mermaidText(text: string): string {
  return printable(text.replace(/[\r\n]+/g, ' ')).replace(/[#"<>[\]{}|`]/g, (c) => MERMAID_ENTITIES[c]!);
}

/** Graphviz DOT: every id and label is a quoted string, so any label text is valid. */
export function formatChainsDot(chains: ChainModel, model: ChainSources, options: ChainFormatOptions = {}): string {
  const graph = chainGraph(chains, model, options);
  const lines = ['digraph chains {', '  rankdir=LR;', '  node [shape=box];'];
  for (const node of graph.nodes) {
    const style = node.stop ? ', style=dashed, shape=note' : '';
    lines.push(`  ${dotString(node.id)} [label=${dotString(`${printable(node.label)}\n${printable(node.place)}`)}${style}];`);
  }
  for (const edge of graph.edges) {
    const attributes = [edge.label ? `label=${dotString(printable(edge.label))}` : '', edge.stop ? 'style=dashed' : ''].filter(Boolean);
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n` (centred lines in labels). */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
