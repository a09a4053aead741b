import type { AgentTool } from './agent-tool.js';
import { listDirectoryTool } from './list-directory.js';
import { readFileTool } from './read-file.js';
import { searchFilesTool } from './search-files.js';

/** The tools an agent may use when it only reads the project (questions, explanations, reviews). */
export const READ_ONLY_TOOLS: readonly AgentTool[] = [readFileTool, listDirectoryTool, searchFilesTool];
