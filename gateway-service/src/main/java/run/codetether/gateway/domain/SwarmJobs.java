package run.codetether.gateway.domain;

import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.swarm.SwarmCommand;

/** Turns an accepted message with the swarm skill into swarm-service's job; the swarm id is the A2A task id. */
final class SwarmJobs {
    private SwarmJobs() {}

    static SwarmCommand.StartSwarm from(TaskCommand.StartTask task, Routing routing) {
        return new SwarmCommand.StartSwarm(task.taskId(), task.taskId(), task.contextId(), task.tenant(),
                task.message().text(), routing.strategy(), task.provider(), task.model(), routing.maxConcurrency(), 0,
                task.metadata(), task.requestedAt());
    }
}
