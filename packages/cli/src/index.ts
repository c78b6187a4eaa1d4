export { EXIT, runCli, type CliIo } from './run-cli.js';
