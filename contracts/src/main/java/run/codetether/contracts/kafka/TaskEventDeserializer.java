package run.codetether.contracts.kafka;

import run.codetether.contracts.events.TaskEvent;

public class TaskEventDeserializer extends ContractDeserializer<TaskEvent> {
    public TaskEventDeserializer() {
        super(TaskEvent.class);
    }
}
