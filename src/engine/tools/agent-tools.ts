import type { AgentTool } from './agent-tool.js';
import { deleteFileTool } from './delete-file.js';
import { editFileTool } from './edit-file.js';
import { listDirectoryTool } from './list-directory.js';
import { readFileTool } from './read-file.js';
import { runCommandTool } from './run-command.js';
import { searchFilesTool } from './search-files.js';
import { writeFileTool } from './write-file.js';

/** The tools an agent may use when it only reads the project (questions, explanations, reviews). */
export const READ_ONLY_TOOLS: readonly AgentTool[] = [readFileTool, listDirectoryTool, searchFilesTool];

/** Every tool of the contract (architecture.md): reading, writing, editing, deleting, running commands. */
export const ALL_TOOLS: readonly AgentTool[] = [
  ...READ_ONLY_TOOLS,
  writeFileTool,
  editFileTool,
  deleteFileTool,
  runCommandTool,
];
