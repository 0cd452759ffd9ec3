package run.codetether.agent.domain.loop;

import java.util.List;
import run.codetether.agent.domain.dispatch.WorkspaceCall;
import run.codetether.agent.domain.port.Workspaces;

/** What every run of one {@link AgentLoop} shares: settings and the steps that hold no per-run state. */
record LoopParts(AgentSettings settings, RunLedger ledger, StatusReporter reporter, WorkspaceCall workspace,
        Workspaces workspaces, WorkspaceSettings workspaceSettings, List<LoopTool> loopTools, SubAgentRunner subAgents,
        WorkspaceSetup workspaceSetup, run.codetether.agent.domain.port.Scheduler scheduler) {}
