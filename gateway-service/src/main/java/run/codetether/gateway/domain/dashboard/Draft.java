package run.codetether.gateway.domain.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link TaskSummary} being changed by one fold step; never shared between threads. */
final class Draft {
    String id;
    String contextId;
    String state = "submitted";
    String kind = "agent";
    String owner;
    String tenant;
    String skill;
    String title;
    String lastText;
    String currentTool;
    String provider;
    String model;
    long tokensIn;
    long tokensOut;
    Double costUsd;
    boolean priced = true;
    int steps;
    Instant createdAt;
    Instant updatedAt;
    Instant endedAt;
    String parentId;
    String subtaskId;
    String workerId;
    List<TaskSummary.SwarmNode> subtasks = new ArrayList<>();
    TaskSummary.RalphProgress ralph;
    int partition = -1;
    long firstOffset = -1;

    static Draft of(TaskSummary s) {
        Draft d = new Draft();
        d.id = s.id();
        d.contextId = s.contextId();
        d.state = s.state();
        d.kind = s.kind();
        d.owner = s.owner();
        d.tenant = s.tenant();
        d.skill = s.skill();
        d.title = s.title();
        d.lastText = s.lastText();
        d.currentTool = s.currentTool();
        d.provider = s.provider();
        d.model = s.model();
        d.tokensIn = s.tokensIn();
        d.tokensOut = s.tokensOut();
        d.costUsd = s.costUsd();
        d.priced = s.priced();
        d.steps = s.steps();
        d.createdAt = s.createdAt();
        d.updatedAt = s.updatedAt();
        d.endedAt = s.endedAt();
        d.parentId = s.parentId();
        d.subtaskId = s.subtaskId();
        d.workerId = s.workerId();
        d.subtasks = new ArrayList<>(s.subtasks());
        d.ralph = s.ralph();
        d.partition = s.partition();
        d.firstOffset = s.firstOffset();
        return d;
    }

    static Draft fresh(String id, String contextId) {
        Draft d = new Draft();
        d.id = id;
        d.contextId = contextId;
        return d;
    }

    TaskSummary build() {
        return new TaskSummary(id, contextId, state, kind, owner, tenant, skill, title, lastText, currentTool, provider,
                model, tokensIn, tokensOut, priced ? costUsd : null, priced, steps, createdAt, updatedAt, endedAt,
                parentId, subtaskId, workerId, subtasks, ralph, partition, firstOffset);
    }
}
