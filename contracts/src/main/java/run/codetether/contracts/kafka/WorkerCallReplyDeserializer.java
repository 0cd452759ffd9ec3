package run.codetether.contracts.kafka;

import run.codetether.contracts.worker.WorkerCallReply;

public class WorkerCallReplyDeserializer extends ContractDeserializer<WorkerCallReply> {
    public WorkerCallReplyDeserializer() {
        super(WorkerCallReply.class);
    }
}
