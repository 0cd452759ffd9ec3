package run.codetether.contracts.kafka;

import run.codetether.contracts.events.TaskControl;

public class TaskControlDeserializer extends ContractDeserializer<TaskControl> {
    public TaskControlDeserializer() {
        super(TaskControl.class);
    }
}
