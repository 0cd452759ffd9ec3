package run.codetether.contracts.kafka;

import run.codetether.contracts.a2a.Task;

public class TaskDeserializer extends ContractDeserializer<Task> {
    public TaskDeserializer() {
        super(Task.class);
    }
}
