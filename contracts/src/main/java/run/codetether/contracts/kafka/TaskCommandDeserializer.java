package run.codetether.contracts.kafka;

import run.codetether.contracts.events.TaskCommand;

public class TaskCommandDeserializer extends ContractDeserializer<TaskCommand> {
    public TaskCommandDeserializer() {
        super(TaskCommand.class);
    }
}
