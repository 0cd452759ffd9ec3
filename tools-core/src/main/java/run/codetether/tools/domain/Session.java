package run.codetether.tools.domain;

import run.codetether.tools.domain.workspace.EditHistory;
import run.codetether.tools.domain.workspace.PathPolicy;

/** One agent session (A2A contextId): its workspace and its edit history. */
public record Session(String id, PathPolicy paths, EditHistory history) {}
