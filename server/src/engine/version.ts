// The tool version, taken from package.json at build time.
import packageJson from '../../../package.json';

export const TOOL_VERSION: string = packageJson.version;
